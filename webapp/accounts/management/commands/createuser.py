"""``manage.py createuser NAME --role ROLE [--ward CODE]``: add a person with one role
(and, for a councillor, their ward).

The password is asked for twice (or read from standard input with ``--password-stdin``)
and must pass the password rules of the settings.
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from webapp.accounts.models import check_ward_code, set_ward
from webapp.accounts.roles import set_role
from webapp.accounts.rules import COUNCILLOR, ROLES


class Command(BaseCommand):
    help = "Add a person who can sign in, with one role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=list(ROLES))
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--ward", default="", help="Their ward's code (a councillor's ward), e.g. E05001390"
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input"
        )

    def handle(
        self,
        *args,
        username: str,
        role: str,
        email: str,
        password_stdin: bool,
        ward: str = "",
        **kw,
    ):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"there is already a person with the user name {username!r}")
        ward = ward.strip().upper()
        try:
            check_ward_code(ward)
        except ValidationError as exc:
            raise CommandError(f"--ward: {exc.messages[0]}") from None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("the two passwords are not the same")
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("the password is refused: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            set_role(user, role)
            if ward:
                set_ward(user, ward)
        self.stdout.write(
            f"Added {username} with the role {role}" + (f" for the ward {ward}." if ward else ".")
        )
        if role == COUNCILLOR and not ward:
            self.stderr.write(
                "This councillor has no ward yet: give it with --ward or on the admin pages."
            )
