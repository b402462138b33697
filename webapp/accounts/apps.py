from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """People, their roles (``rules.py``), signing in and out, and the admin pages."""

    name = "webapp.accounts"
    label = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from webapp.accounts import checks  # noqa: F401  (registers the system checks)
        from webapp.accounts.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="webapp.accounts.ensure_roles")
