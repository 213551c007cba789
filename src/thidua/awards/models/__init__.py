"""The awards app's models, by concern: rules (award kinds and the rules in force), nominations
(dossiers, nominees, households, holds, appraisal), council (sessions and ballots), decisions,
registry (sổ vàng, certificate printing) and staffing (yearly statistics input). Every model is
imported here so Django registers it, and every name is re-exported, so
``from thidua.awards.models import Nomination`` keeps working."""

from thidua.awards.models.council import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    Choice,
    Council,
    CouncilMember,
    CouncilSession,
    NamedVote,
    SealedBallot,
    WrittenOpinion,
)
from thidua.awards.models.decisions import Decision, DecisionLine
from thidua.awards.models.nominations import (
    AppraisalRound,
    ContributionKind,
    DocumentKind,
    DossierDocument,
    Hold,
    Household,
    Nomination,
    Nominee,
)
from thidua.awards.models.registry import (
    AwardRecord,
    CertificateLayout,
    CertificatePrint,
    PrinterProfile,
)
from thidua.awards.models.rules import (
    AwardRule,
    AwardType,
    RuleSet,
    StatisticsKind,
    Subject,
    Target,
)
from thidua.awards.models.staffing import EmulationStaffing

__all__ = [
    "AgendaItem",
    "AppraisalRound",
    "Attendance",
    "AwardRecord",
    "AwardRule",
    "AwardType",
    "Ballot",
    "BallotCast",
    "CertificateLayout",
    "CertificatePrint",
    "Choice",
    "ContributionKind",
    "Council",
    "CouncilMember",
    "CouncilSession",
    "Decision",
    "DecisionLine",
    "DocumentKind",
    "DossierDocument",
    "EmulationStaffing",
    "Hold",
    "Household",
    "NamedVote",
    "Nomination",
    "Nominee",
    "PrinterProfile",
    "RuleSet",
    "SealedBallot",
    "StatisticsKind",
    "Subject",
    "Target",
    "WrittenOpinion",
]

# The reward fund's models live in their own module; importing it registers them in the app,
# last, so the app's models keep the order they always had (content types, permissions).
from thidua.awards import fund_models  # noqa: F401
