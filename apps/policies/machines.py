"""The regulations library's two statuses on the portal's one state-machine primitive
(apps/core/statemachine.py). Approval itself — the owning department's head, then
operations management, four eyes — is the approvals engine's flow for kind
"policies.draft" (apps/policies/approvals.py); these machines only mirror its decision
and the publication that follows."""

from apps.core.statemachine import machine

from .models import Policy, PolicyStatus, PolicyVersion, VersionStatus

V, P = VersionStatus, PolicyStatus

VERSION = machine(
    "policies.version",
    model="policies.PolicyVersion",
    choices=V,
    initial=V.DRAFT,
    table={
        V.DRAFT: {V.IN_REVIEW},
        # the engine's decision: approved -> scheduled; returned, rejected, withdrawn -> draft
        V.IN_REVIEW: {V.SCHEDULED, V.DRAFT},
        V.SCHEDULED: {V.PUBLISHED},  # on its effective date (at once or by the daily job)
        V.PUBLISHED: {V.SUPERSEDED, V.RETIRED},
        V.RETIRED: {V.SUPERSEDED},
    },
)

POLICY = machine(
    "policies.policy",
    model="policies.Policy",
    choices=P,
    initial=P.DRAFT,
    table={
        # a policy with no text in force follows its first draft's approval
        P.DRAFT: {P.IN_REVIEW, P.PUBLISHED, P.RETIRED},
        P.IN_REVIEW: {P.DRAFT, P.PUBLISHED, P.RETIRED},
        P.PUBLISHED: {P.RETIRED},
        P.RETIRED: {P.PUBLISHED},  # a new version of a retired regulation is published
    },
)

__all__ = ["POLICY", "VERSION", "Policy", "PolicyVersion"]
