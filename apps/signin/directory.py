"""The company directory (LDAP / Active Directory) outside of sign-in itself: is an account
disabled, which department does an entry belong to, and the scheduled sync that deactivates
people who left and moves people whose department changed."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

log = logging.getLogger("apps.signin")


def connect():
    """A connection bound as the service account (the same options sign-in uses)."""
    import ldap

    conn = ldap.initialize(settings.AUTH_LDAP_SERVER_URI)
    for option, value in settings.AUTH_LDAP_CONNECTION_OPTIONS.items():
        conn.set_option(option, value)
    if settings.AUTH_LDAP_START_TLS:
        conn.start_tls_s()
    conn.simple_bind_s(settings.AUTH_LDAP_BIND_DN, settings.AUTH_LDAP_BIND_PASSWORD)
    return conn


def is_disabled(dn: str) -> bool:
    """True when the entry matches LDAP_DISABLED_FILTER (AD: the ACCOUNTDISABLE bit)."""
    import ldap

    flt = settings.LDAP_DISABLED_FILTER
    if not flt:
        return False
    conn = connect()
    try:
        return bool(conn.search_s(dn, ldap.SCOPE_BASE, flt, ["1.1"]))
    except ldap.NO_SUCH_OBJECT:
        return True
    finally:
        conn.unbind_s()


def _text(attrs: dict, name: str) -> str:
    values = attrs.get(name) or attrs.get(name.lower()) or []
    value = values[0] if values else ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def department_for(attrs: dict):
    """The portal department of a directory entry: LDAP_DEPARTMENT_MAP translates the
    attribute's value to a department code; unmapped values are tried as a code, then a name."""
    from apps.departments.models import Department

    attr = settings.LDAP_DEPARTMENT_ATTR
    if not attr:
        return None
    value = _text(attrs, attr).strip()
    if not value:
        return None
    code = settings.LDAP_DEPARTMENT_MAP.get(value, value)
    found = Department.objects.filter(code=code).first() or Department.objects.filter(name=value).first()
    if found is None:
        log.warning("directory department %r matches no portal department", value)
    return found


@dataclass
class SyncReport:
    dry_run: bool
    seen: int = 0
    deactivated: list[str] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # username, from, to
    unknown_departments: set[str] = field(default_factory=set)
    linked: list[str] = field(default_factory=list)  # portal accounts found in the directory for the first time

    @property
    def changes(self) -> int:
        return len(self.deactivated) + len(self.moved)

    def lines(self) -> list[str]:
        from django.utils.translation import gettext as _

        head = _("dry run: nothing saved") if self.dry_run else _("saved")
        out = [
            _("Directory sync (%(head)s): %(seen)d active directory accounts, %(changes)d changes")
            % {"head": head, "seen": self.seen, "changes": self.changes}
        ]
        out += [_("deactivate %(u)s (left the directory or disabled there)") % {"u": u} for u in self.deactivated]
        out += [_("move %(u)s: %(a)s -> %(b)s") % {"u": u, "a": a or "-", "b": b} for u, a, b in self.moved]
        out += [_("link %(u)s to its directory account") % {"u": u} for u in self.linked]
        out += [_("unknown department in the directory: %(d)s") % {"d": d} for d in sorted(self.unknown_departments)]
        return out


def directory_entries() -> dict[str, dict]:
    """Every person in the directory: DN -> attributes (paged: AD answers 1,000 at a time)."""
    import ldap
    from ldap.controls import SimplePagedResultsControl

    conn = connect()
    entries: dict[str, dict] = {}
    control = SimplePagedResultsControl(True, size=500, cookie="")
    wanted = [settings.LDAP_USERNAME_ATTR, "userAccountControl"]
    if settings.LDAP_DEPARTMENT_ATTR:
        wanted.append(settings.LDAP_DEPARTMENT_ATTR)
    try:
        while True:
            msgid = conn.search_ext(
                settings.LDAP_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_SYNC_FILTER, wanted, serverctrls=[control]
            )
            _type, rows, _id, controls = conn.result3(msgid)
            entries.update({dn: attrs for dn, attrs in rows if dn})
            cookies = [c.cookie for c in controls if c.controlType == SimplePagedResultsControl.controlType]
            if not cookies or not cookies[0]:
                break
            control.cookie = cookies[0]
        if settings.LDAP_DISABLED_FILTER:
            flt = f"(&{settings.LDAP_SYNC_FILTER}{settings.LDAP_DISABLED_FILTER})"
            disabled = {
                dn for dn, _a in conn.search_s(settings.LDAP_SEARCH_BASE, ldap.SCOPE_SUBTREE, flt, ["1.1"]) if dn
            }
            for dn in disabled:
                entries.pop(dn, None)
    finally:
        conn.unbind_s()
    return {dn.lower(): attrs for dn, attrs in entries.items()}


def _unlinked_matches(entries: dict[str, dict]) -> list[tuple[str, int, str]]:
    """Portal accounts (not staff) with a directory entry of the same username and no link yet:
    from the next run on, the sync looks after them too (an HR import made them)."""
    from .models import ExternalAccount

    by_username = {_text(attrs, settings.LDAP_USERNAME_ATTR).lower(): dn for dn, attrs in entries.items()}
    by_username.pop("", None)
    taken = {s.lower() for s in ExternalAccount.objects.filter(source="ldap").values_list("subject", flat=True)}
    rows = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, is_superuser=False, username__in=list(by_username))
        .exclude(external_accounts__source="ldap")
        .values_list("username", "pk")
    )
    return [(u, pk, by_username[u.lower()]) for u, pk in rows if by_username[u.lower()] not in taken]


def sync(*, dry_run: bool) -> SyncReport:
    """Bring the portal in line with the directory, for the accounts that came from it (an
    ExternalAccount of source ldap). Staff and superuser accounts are never touched."""
    from apps.departments.models import Department

    from .models import ExternalAccount

    report = SyncReport(dry_run=dry_run)
    entries = directory_entries()  # before the transaction: the directory may be slow
    report.seen = len(entries)
    departments = {d.code: d for d in Department.objects.all()}
    by_name = {d.name: d for d in departments.values()}
    User = get_user_model()
    links = (
        ExternalAccount.objects.filter(
            source="ldap", user__is_active=True, user__is_staff=False, user__is_superuser=False
        )
        .select_related("user__department")
        .order_by("user__username")
    )
    to_link = _unlinked_matches(entries)
    report.linked = sorted(username for username, _pk, _dn in to_link)
    to_deactivate: list[int] = []
    moves: list[tuple[int, int]] = []
    for link in links:
        user = link.user
        attrs = entries.get(link.subject.lower())
        if attrs is None:
            report.deactivated.append(user.username)
            to_deactivate.append(user.pk)
            continue
        if not settings.LDAP_DEPARTMENT_ATTR:
            continue
        value = _text(attrs, settings.LDAP_DEPARTMENT_ATTR).strip()
        if not value:
            continue
        target = departments.get(settings.LDAP_DEPARTMENT_MAP.get(value, value)) or by_name.get(value)
        if target is None:
            report.unknown_departments.add(value)
        elif target.pk != user.department_id:
            report.moved.append((user.username, user.department.code if user.department else "", target.code))
            moves.append((user.pk, target.pk))
    if not dry_run:
        with transaction.atomic():
            # Guarded again in the UPDATE: never a staff or superuser account, whatever happened meanwhile.
            safe = User.objects.filter(is_staff=False, is_superuser=False)
            safe.filter(pk__in=to_deactivate).update(is_active=False)
            ExternalAccount.objects.bulk_create(
                [ExternalAccount(user_id=pk, source="ldap", subject=dn) for _u, pk, dn in to_link],
                ignore_conflicts=True,
            )
            for user_id, department_id in moves:
                safe.filter(pk=user_id).update(department_id=department_id)
    for line in report.lines():
        log.info(line)
    return report
