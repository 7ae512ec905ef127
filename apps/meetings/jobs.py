from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.registry import job

from . import services


@job("meetings.generate_series", _("Make the meetings of every series ahead of time (working days)."))
def generate_series(now) -> int:
    return services.generate_series_meetings(today=timezone.localdate(now))
