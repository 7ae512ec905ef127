"""What the policies module tells the modules built on it (they connect in their AppConfig.ready;
policies imports none of them).

version_published(sender=PolicyVersion, version=...): sent inside the publishing transaction,
once per version that takes effect (at once or by the scheduled job); a receiver's writes
commit or roll back with the publication."""

from django.dispatch import Signal

version_published = Signal()
