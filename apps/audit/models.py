"""One audit trail for the domain data, kept by the database itself.

Every create, change and delete of a tracked model fires a PostgreSQL trigger
(django-pghistory over django-pgtrigger) that writes the row as it now is (or was, for a
delete) into that model's event table here, with the request's context: the signed-in
user and the address, or the job that ran. Nothing in the code has to remember to call
it, and bulk updates and raw SQL are recorded too. Events are never deleted by the
portal (they outlive the object) and are read through pghistory's Events view, which
also works out old → new for each change.

Tracked: every model of the portal's apps (found here without importing them, in the
order Django loaded them; settings puts this app last), except the ones in UNTRACKED, which are logs themselves or data
derived from others, and the fields in SECRET_FIELDS.
"""

import pghistory
from django.apps import apps as django_apps
from django.db import models

from apps.core.plugins import PORTAL_APP_PREFIX

# logs and ledgers (a history of their own), derived or bulk data, and job bookkeeping
UNTRACKED = {
    "notifications.notification",
    "notifications.outboundemail",
    "notifications.sentreminder",
    "notifications.nudge",
    "policies.policynode",
    "policies.policyhistory",
    "processes.processstep",
    "processes.steplink",
    "processes.changerequestevent",
    "kpis.measurementrevision",
    "kpis.figurereminder",
    "kpis.figureimport",
    "departments.employeeimport",
    "appraisals.appraisalevent",
    "appraisals.cycleevent",
    "appraisals.templatesnapshot",
    "scheduling.jobrun",
    "search.searchdocument",
    "approvals.event",
    "risks.registerimport",
    "signin.signinevent",  # the sign-in log is a log of its own
}
# never copied into the trail: credentials, churn, and what would break 360 anonymity
SECRET_FIELDS = {
    "accounts.user": ["password", "last_login"],
    "appraisals.peerreview": ["comments"],
}
# secrets (links that sign people in or subscribe a calendar) are never copied either
SECRET_MODELS = {"meetings.calendartoken", "signin.invitation"}


def _tracked_models():
    for label, app_models in list(django_apps.all_models.items()):
        config = django_apps.app_configs.get(label)
        if config is None or not config.name.startswith(PORTAL_APP_PREFIX) or label == "audit":
            continue
        for model in list(app_models.values()):
            key = model._meta.label_lower
            if model._meta.proxy or model._meta.auto_created or key in UNTRACKED or key in SECRET_MODELS:
                continue
            yield model, key


_names: set[str] = set()
for _model, _key in _tracked_models():
    # CategoryEvent for the first app with a Category, RisksCategoryEvent for the next
    _name = f"{_model.__name__}Event"
    if _name in _names:
        _name = f"{_model._meta.app_label.capitalize()}{_name}"
    _names.add(_name)
    pghistory.create_event_model(
        _model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        exclude=SECRET_FIELDS.get(_key),
        # the event outlives its object: no database constraint, nothing cascades
        obj_field=pghistory.ObjForeignKey(related_name="+", db_constraint=False, on_delete=models.DO_NOTHING),
        model_name=_name,
        app_label="audit",
        abstract=False,
    )
