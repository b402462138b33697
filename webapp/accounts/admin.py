"""The admin pages (people and their roles), for the admin role only.

The site asks ``rules.py`` (``accounts.manage_people``) instead of ``is_staff``, sends
anyone not signed in to the app's sign-in page, and refuses (403) a signed-in person
without the role rather than showing a second sign-in form.
"""

from __future__ import annotations

from functools import update_wrapper

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from webapp.accounts.models import Membership, ward_names


class SiaAdminSite(admin.AdminSite):
    site_header = "People and roles"
    site_title = "People and roles"
    index_title = "People and roles"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.has_perm("accounts.manage_people")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, view)

    def login(self, request, extra_context=None):
        """The app has one sign-in page."""
        return redirect_to_login(request.GET.get("next") or "/admin/")

    def logout(self, request, extra_context=None):
        return redirect("accounts:sign-out")


class _ByRules:
    """A model's admin shown to whoever ``rules.py`` lets manage people (its add, change,
    view and delete permissions are declared there too)."""

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("accounts.manage_people")


class MembershipForm(forms.ModelForm):
    """The ward as a list of the partnership's wards."""

    class Meta:
        model = Membership
        fields = ("ward_code",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wards = sorted(ward_names().items(), key=lambda item: item[1])
        self.fields["ward_code"].widget = forms.Select(
            choices=[("", "No ward"), *((code, f"{name} ({code})") for code, name in wards)]
        )


class MembershipInline(admin.StackedInline):
    model = Membership
    form = MembershipForm
    can_delete = False
    max_num = 1


class PersonAdmin(_ByRules, UserAdmin):
    inlines = (MembershipInline,)
    # Shown, not typed: Django's split date and time boxes have no labels of their own.
    readonly_fields = ("last_login", "date_joined")
    # A plain list box rather than Django's two-box widget, whose script draws help icons
    # with ARIA that assistive technology may not read.
    filter_horizontal = ()


class RoleAdmin(_ByRules, GroupAdmin):
    filter_horizontal = ()


site = SiaAdminSite(name="admin")
site.register(User, PersonAdmin)
site.register(Group, RoleAdmin)
