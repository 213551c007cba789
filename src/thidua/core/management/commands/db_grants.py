from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from thidua.core.dbroles import app_role_grants


class Command(BaseCommand):
    help = (
        "The GRANT statements for the PostgreSQL role the application runs under (issue 18, "
        "M5): data rights only, no TRUNCATE, no DDL, and the action log insert-only. Run as the "
        "migration role (the owner of the tables) after every migrate or restore; prints the "
        "SQL, or runs it with --apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the application's login role, e.g. thidua_app")
        parser.add_argument("--apply", action="store_true", help="run the statements now")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Roles and grants exist only on PostgreSQL.")
        statements = app_role_grants(options["role"])
        if options["apply"]:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
            self.stdout.write(f"{len(statements)} statements applied for {options['role']}.")
        else:
            self.stdout.write("\n".join(statements))
