"""Every table, imported in one place so the metadata is complete for Alembic and tests."""

from orgburo.accounts.models import ApiToken, RoleGrantRow, User
from orgburo.audit import AuditEntry, AuditHead
from orgburo.bodies.models import Body, BodyEvent, BodyLink
from orgburo.census.models import CensusTally
from orgburo.congresses.models import Congress, Delegate, DelegateQuota, ElectoralLink
from orgburo.db import Base
from orgburo.elections.models import (
    Ballot,
    Credential,
    CredentialUse,
    Election,
    ElectionResult,
    NamedVote,
    Nomination,
)
from orgburo.enrollment.models import (
    Application,
    Campaign,
    CampaignGroup,
    GroupMatch,
    JointApplication,
    Meeting,
    Recommendation,
    StageReview,
    Vote,
)
from orgburo.members.models import AttributeDefinition, MemberEvent, Membership, Person
from orgburo.mobilizations.models import (
    Decree,
    Destination,
    Ending,
    Entry,
    FitClassRow,
    Quota,
    RoleLine,
    RoleType,
    SubQuota,
    ZoneShare,
)
from orgburo.offices.models import Office, OfficeTerm, OrganSeat

__all__ = [
    "ApiToken",
    "Application",
    "AttributeDefinition",
    "AuditEntry",
    "AuditHead",
    "Ballot",
    "Base",
    "Body",
    "BodyEvent",
    "BodyLink",
    "Campaign",
    "CampaignGroup",
    "CensusTally",
    "Congress",
    "Credential",
    "CredentialUse",
    "Decree",
    "Delegate",
    "DelegateQuota",
    "Destination",
    "Election",
    "ElectionResult",
    "ElectoralLink",
    "Ending",
    "Entry",
    "FitClassRow",
    "GroupMatch",
    "JointApplication",
    "Meeting",
    "MemberEvent",
    "Membership",
    "NamedVote",
    "Nomination",
    "Office",
    "OfficeTerm",
    "OrganSeat",
    "Person",
    "Quota",
    "Recommendation",
    "RoleGrantRow",
    "RoleLine",
    "RoleType",
    "StageReview",
    "SubQuota",
    "User",
    "Vote",
    "ZoneShare",
]
