"""The sign-in form, in the GOV.UK style."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from webapp.govuk import widgets


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct user name and password",
        "inactive": "This account cannot sign in: ask the partnership's administrator",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["username"].widget = widgets.TextInput(
            autocomplete="username", spellcheck="false"
        )
        self.fields["username"].error_messages["required"] = "Enter your user name"
        self.fields["password"].widget = widgets.PasswordInput(autocomplete="current-password")
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].strip = False

    username: forms.CharField
