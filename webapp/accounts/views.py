"""Signing in and out, the home page, and the page for a refused form (CSRF)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from webapp.accounts.context_processors import MENU
from webapp.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, with the CSRF token, as Django requires)."""


class HomeView(PermissionRequiredMixin, TemplateView):
    """What the signed-in person may do."""

    permission_required = "accounts.use_service"
    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["services"] = [(text, name) for text, name, perm in MENU[1:] if user.has_perm(perm)]
        return context


def csrf_failure(request, reason: str = ""):
    """A form sent without its security token (or after the session ended)."""
    return render(request, "accounts/csrf_failure.html", status=403)
