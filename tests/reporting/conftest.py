# The campaign fixtures of unit participation: an issued seed plan and phường Suối Hoa's users.
from tests.participation.conftest import campaign, head, officer  # noqa: F401
