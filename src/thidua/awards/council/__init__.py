"""The council session: invitations, attendance, quorum, written opinions, secret ballots and
tallies against total membership. By concern: `sessions` (scheduling to minutes), `voting`
(ballots, show of hands, written opinions, the count), `sealing`, `members`, `texts`.

Secret ballots (issue 18, M4). While a vote is open the database holds, for each member who
voted, a receipt (`BallotCast`: who) and, written in the same transaction, a sealed ballot
(`SealedBallot`: a random nonce and HMAC-SHA256 of the choice under a key derived from the
server's SECRET_KEY, which is never stored in the database). The seal has one fixed length and
differs for every ballot, so joining receipts to sealed rows by transaction (`xmin`), physical
order (`ctid`), key or time gives the reader nothing but random bytes. When the chair closes the
vote, the seals are opened, the choices shuffled and written as `Ballot` rows with random keys in
the close transaction, and the sealed rows deleted: the readable choices share no transaction,
order, key or timestamp with any receipt. Nothing is kept in process memory or in the cache, so a
restart of the app, or of Redis, during the vote loses nothing, and the demo (SQLite, local
memory cache) gives the same guarantee as production.

The member confirms a choice before it is cast and cannot change it afterwards, as with a paper
ballot in the urn: changing it would need a link from the member to the ballot until the close.
"""

from thidua.awards.council.members import (
    member_of,
    members_users,
    presides,
    presiding_member,
)
from thidua.awards.council.sealing import ballot_seal, ballot_unseal, ballots_unseal
from thidua.awards.council.sessions import (
    attendance_set,
    counting_committee_set,
    minutes_number,
    minutes_sign_pdf,
    roll_call_record,
    session_add_nominations,
    session_close,
    session_create,
    session_open,
    session_schedule,
)
from thidua.awards.council.texts import (
    nominee_label,
    percent_text,
    session_url,
    threshold_text,
    when_shown,
    when_text,
)
from thidua.awards.council.voting import (
    ballot_cast,
    item_close,
    item_vote_open,
    named_votes_record,
    written_opinion_record,
    written_opinion_submit,
)

__all__ = [
    "attendance_set",
    "ballot_cast",
    "ballot_seal",
    "ballot_unseal",
    "ballots_unseal",
    "counting_committee_set",
    "item_close",
    "item_vote_open",
    "member_of",
    "members_users",
    "minutes_number",
    "minutes_sign_pdf",
    "named_votes_record",
    "nominee_label",
    "percent_text",
    "presides",
    "presiding_member",
    "roll_call_record",
    "session_add_nominations",
    "session_close",
    "session_create",
    "session_open",
    "session_schedule",
    "session_url",
    "threshold_text",
    "when_shown",
    "when_text",
    "written_opinion_record",
    "written_opinion_submit",
]
