from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "personnel"
    verbose_name = _("Personnel")

    def ready(self):
        from personnel.importers.dossier_rows import FAMILY_KIND, TRAINING_KIND
        from personnel.importers.kinds import register_import_kind
        from personnel.importers.ratings import RATINGS_KIND
        from personnel.inbox import personnel_lines, register_inbox_source

        register_inbox_source(personnel_lines)
        register_import_kind(RATINGS_KIND)
        register_import_kind(TRAINING_KIND)
        register_import_kind(FAMILY_KIND)
