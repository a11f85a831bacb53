"""Administration screens for units, grants and reference lists.

Structural changes to a unit made here go through ``personnel.services`` so that every rename,
move and end-dating records its lineage event; units can never be deleted.
"""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrms.lib.admin import EffectiveDatedAdmin, ReadOnlyAdmin
from personnel import services
from personnel.models import (
    AccessLogEntry,
    DisciplineType,
    EthnicGroup,
    ExportJob,
    GrantChange,
    LineageEvent,
    Movement,
    OrgUnit,
    OrgUnitUserPermission,
    Rank,
    RankPlacement,
    RatingLevel,
    Religion,
    SalaryGroup,
    SalaryStep,
    Staff,
)
from personnel.permissions import ROLE_PERMISSIONS, Role, describe_grants

admin.site.site_header = _("HR records administration")
admin.site.site_title = _("HR records administration")
admin.site.index_title = _("Administration")


class OrgUnitAdminForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("Parent unit"),
        queryset=OrgUnit.objects.all(),
        required=False,
        help_text=_("Leave empty only for the province itself."),
    )
    change_date = forms.DateField(
        label=_("Date the change takes effect"),
        required=False,
        help_text=_("Needed when the name or the parent unit changes, or the unit is ended."),
    )
    change_basis = forms.CharField(
        label=_("Legal basis of the change"),
        required=False,
        max_length=255,
        help_text=_("Decision number and date, e.g. NQ 1234/NQ-UBTVQH15 of 16/06/2025."),
    )

    class Meta:
        model = OrgUnit
        fields = [
            "parent",
            "code",
            "name",
            "short_name",
            "level",
            "kind",
            "admin_code",
            "agency_code",
            "keeps_payroll",
            "valid_from",
            "valid_to",
            "legal_basis",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["parent"] = self.instance.parent_unit()
            self.fields["parent"].queryset = OrgUnit.objects.exclude(
                path__startswith=self.instance.path
            )

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if not self.instance.pk:
            starts = cleaned.get("valid_from")
            if parent and parent.valid_to and starts and parent.valid_to < starts:
                self.add_error("parent", _("This unit has ended; choose a current parent unit."))
            return cleaned
        if self.instance.valid_to is not None and {"name", "parent"} & set(self.changed_data):
            raise ValidationError(_("An ended unit can no longer be renamed or moved."))
        if "parent" in self.changed_data and parent is not None and parent.valid_to is not None:
            self.add_error("parent", _("This unit has ended; choose a current parent unit."))
        if "valid_to" in self.changed_data and self.instance.staff.filter(status="active").exists():
            self.add_error("valid_to", _("The unit still has working staff; transfer them first."))
        structural = {"name", "parent", "valid_to"} & set(self.changed_data)
        if structural:
            for field in ("change_date", "change_basis"):
                if not cleaned.get(field):
                    self.add_error(field, _("Required when the name, parent or end date changes."))
        if "valid_to" in self.changed_data and self.instance.valid_to is not None:
            self.add_error("valid_to", _("An ended unit cannot be reopened here."))
        return cleaned


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitAdminForm
    list_display = [
        "indented_name",
        "code",
        "level",
        "kind",
        "keeps_payroll",
        "admin_code",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["level", "kind", "keeps_payroll", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code", "admin_code", "agency_code"]
    ordering = ["path"]
    list_per_page = 200
    readonly_fields = ["path", "depth"]

    def get_urls(self):
        own = [
            path("merge/", self.admin_site.admin_view(self.merge_view),
                 name="personnel_orgunit_merge"),
            path("split/", self.admin_site.admin_view(self.split_view),
                 name="personnel_orgunit_split"),
        ]  # fmt: skip
        return own + super().get_urls()

    def merge_view(self, request):
        """Merge units, recording the lineage event (personnel.services.units_merge)."""
        return _unit_change_view(
            self, request, form_class=UnitMergeForm, title=_("Merge units"),
            perform=lambda data, actor: services.units_merge(
                sources=list(data["sources"]), result=data["result"],
                effective_date=data["effective_date"], legal_basis=data["legal_basis"],
                actor=actor,
            ),
        )  # fmt: skip

    def split_view(self, request):
        """Split a unit, recording the lineage event (personnel.services.unit_split)."""
        return _unit_change_view(
            self, request, form_class=UnitSplitForm, title=_("Split a unit"),
            perform=lambda data, actor: services.unit_split(
                source=data["source"], results=list(data["results"]),
                effective_date=data["effective_date"], legal_basis=data["legal_basis"],
                actor=actor, source_continues=data["source_continues"],
                staff_to=data["staff_to"],
            ),
        )  # fmt: skip

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        return f"{'— ' * (unit.depth - 1)}{unit.name}"

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        fields = list(self.form.Meta.fields)
        if obj is None:
            fields.remove("valid_to")
            return fields
        return fields + ["change_date", "change_basis", "path", "depth"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            self._save_change(request, obj, form)
            return
        fields = {
            name: data[name]
            for name in ("code", "name", "short_name", "level", "kind", "admin_code", "agency_code",
                         "keeps_payroll")
        }  # fmt: skip
        created = services.unit_establish(
            parent=data["parent"],
            effective_date=data["valid_from"],
            legal_basis=data["legal_basis"],
            actor=request.user,
            **fields,
        )
        obj.pk = created.pk

    def _save_change(self, request, obj, form):
        data = form.cleaned_data
        original = OrgUnit.objects.get(pk=obj.pk)
        plain = [
            "code",
            "short_name",
            "level",
            "kind",
            "keeps_payroll",
            "admin_code",
            "agency_code",
            "legal_basis",
            "valid_from",
        ]
        for name in plain:
            setattr(original, name, data[name])
        original.save(update_fields=plain + ["updated_at"])
        when, basis = data.get("change_date"), data.get("change_basis")
        if "name" in form.changed_data:
            services.unit_rename(
                unit=original,
                new_name=data["name"],
                effective_date=when,
                legal_basis=basis,
                actor=request.user,
            )
        if "parent" in form.changed_data and data["parent"] is not None:
            services.unit_move(
                unit=original,
                new_parent=data["parent"],
                effective_date=when,
                legal_basis=basis,
                actor=request.user,
            )
        if "valid_to" in form.changed_data and data["valid_to"] is not None:
            services.unit_dissolve(
                unit=original,
                effective_date=data["valid_to"],
                legal_basis=basis,
                actor=request.user,
            )


class UnitMergeForm(forms.Form):
    """Merge units into one (the result is one of them, or a unit established beforehand)."""

    sources = forms.ModelMultipleChoiceField(
        label=_("Units merged"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        help_text=_("Every unit that merges, the resulting unit included if it is one of them."),
    )
    result = forms.ModelChoiceField(
        label=_("Resulting unit"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        help_text=_(
            "A new unit is established first (Add unit), then chosen here. Staff still in the "
            "service in the merged units are transferred to it on the date of the change."
        ),
    )
    effective_date = forms.DateField(label=_("Date the change takes effect"))
    legal_basis = forms.CharField(label=_("Legal basis of the change"), max_length=255)


class UnitSplitForm(forms.Form):
    """Split a unit into units established beforehand."""

    source = forms.ModelChoiceField(
        label=_("Unit split"), queryset=OrgUnit.objects.filter(valid_to__isnull=True)
    )
    results = forms.ModelMultipleChoiceField(
        label=_("Resulting units"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        help_text=_("Establish the new units first (Add unit), then choose them here."),
    )
    source_continues = forms.BooleanField(
        label=_("The unit split continues to exist"), required=False
    )
    staff_to = forms.ModelChoiceField(
        label=_("Resulting unit that receives the staff"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        required=False,
        help_text=_(
            "When the unit split ends, its staff still in the service are transferred here "
            "(then one by one to the other units if need be)."
        ),
    )
    effective_date = forms.DateField(label=_("Date the change takes effect"))
    legal_basis = forms.CharField(label=_("Legal basis of the change"), max_length=255)


def _unit_change_view(model_admin, request, *, form_class, title, perform):
    """A merge or split screen: the form, the service, the lineage event it recorded."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = perform(form.cleaned_data, request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            model_admin.message_user(
                request,
                _("Recorded: %(event)s (lineage event of %(date)s); %(count)s staff transferred.")
                % {
                    "event": event.get_kind_display(),
                    "date": event.effective_date.strftime("%d/%m/%Y"),
                    "count": event.staff_moved,
                },
            )
            return redirect(reverse("admin:personnel_lineageevent_change", args=[event.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/personnel/unit_change_form.html", context)


@admin.register(LineageEvent)
class LineageEventAdmin(admin.ModelAdmin):
    list_display = ["effective_date", "kind", "legal_basis", "recorded_by", "recorded_at"]
    list_filter = ["kind"]
    search_fields = [
        "legal_basis",
        "note",
        "old_name",
        "new_name",
        "sources__name",
        "results__name",
    ]
    date_hierarchy = "effective_date"
    filter_horizontal = ["sources", "results"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Django stores permission names in English when it creates them ("Can add access attempt");
# they are read in the user's language instead: the action, then the model's own name.
PERMISSION_ACTIONS = {
    "add": _("Can add %(what)s"),
    "change": _("Can change %(what)s"),
    "delete": _("Can delete %(what)s"),
    "view": _("Can view %(what)s"),
}


def permission_name(permission: Permission) -> str:
    """A permission's name in the user's language (the four default ones built from the model's
    translated name, the app's own ones from their translated text)."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    default = model is not None and permission.codename == f"{action}_{model._meta.model_name}"
    if default and action in PERMISSION_ACTIONS:
        return str(PERMISSION_ACTIONS[action] % {"what": model._meta.verbose_name})
    return gettext(permission.name)


def permission_label(permission: Permission) -> str:
    """ "App | model | permission", every part in the user's language."""
    model = permission.content_type.model_class()
    try:
        app = apps.get_app_config(permission.content_type.app_label).verbose_name
    except LookupError:
        app = permission.content_type.app_label
    what = model._meta.verbose_name if model is not None else permission.content_type.model
    return f"{app} | {what} | {permission_name(permission)}"


class TranslatedPermissionsMixin:
    """Permission pickers and columns of the admin read in the user's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_name
        return field


class GrantPermissionFilter(admin.SimpleListFilter):
    """The unit permissions only, by their names in the user's language."""

    title = _("permission")
    parameter_name = "permission"

    def lookups(self, request, model_admin):
        unit_permissions = Permission.objects.filter(
            content_type__app_label="personnel", content_type__model="orgunit"
        ).select_related("content_type")
        return [(str(p.pk), permission_name(p)) for p in unit_permissions]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(permission_id=value) if value and value.isdigit() else queryset


class RoleGrantForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in ROLE_PERMISSIONS]
    )

    class Meta:
        model = OrgUnitUserPermission
        fields = ["user", "content_object"]


@admin.register(OrgUnitUserPermission)
class UnitGrantAdmin(TranslatedPermissionsMixin, admin.ModelAdmin):
    """Grants of roles and single permissions on units (and everything under them)."""

    list_display = ["user", "content_object", "permission_shown"]
    list_filter = [GrantPermissionFilter]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "content_object__name",
    ]
    autocomplete_fields = ["user", "content_object"]
    list_select_related = ["user", "content_object", "permission"]

    @admin.display(description=_("permission"), ordering="permission__codename")
    def permission_shown(self, grant):
        return permission_name(grant.permission)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RoleGrantForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "content_object", "role"]
        return ["user", "content_object", "permission"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "content_object", "permission"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        services.role_grant(
            user=data["user"],
            unit=data["content_object"],
            role=Role(data["role"]),
            actor=request.user,
        )
        saved = (
            OrgUnitUserPermission.objects.filter(
                user=data["user"], content_object=data["content_object"]
            )
            .select_related("permission")
            .first()
        )
        obj.pk, obj.permission = saved.pk, saved.permission

    def delete_model(self, request, obj):
        services.permission_revoke(
            user=obj.user,
            unit=obj.content_object,
            codename=obj.permission.codename,
            actor=request.user,
        )

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("user", "content_object", "permission"):
            self.delete_model(request, grant)


class UnitGrantInline(TranslatedPermissionsMixin, admin.TabularInline):
    model = OrgUnitUserPermission
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["content_object"]
    fields = ["content_object", "permission"]
    verbose_name = _("permission on a unit")
    verbose_name_plural = _("permissions on units (each covers the units under it)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "permission":
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label="personnel", content_type__model="orgunit"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(User)


@admin.register(User)
class HrmsUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    """Users with their unit grants. Grants made in the inline and changes of groups go
    through ``personnel.services`` and are recorded in the grant history."""

    inlines = [UnitGrantInline]

    def save_related(self, request, form, formsets, change):
        groups_before = (
            set(form.instance.groups.values_list("name", flat=True)) if change else set()
        )
        super().save_related(request, form, formsets, change)
        groups_after = set(form.instance.groups.values_list("name", flat=True))
        services.record_group_change(
            user=form.instance, before=groups_before, after=groups_after, actor=request.user
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not OrgUnitUserPermission:
            return super().save_formset(request, form, formset, change)
        user = form.instance
        new, changed, deleted = [], [], []
        for inline_form in formset.forms:
            original = inline_form.instance
            removing = inline_form in formset.deleted_forms
            if not removing and not inline_form.has_changed():
                continue
            if original.pk:  # the row as stored: withdraw it first when deleted or changed
                old = OrgUnitUserPermission.objects.select_related(
                    "content_object", "permission"
                ).get(pk=original.pk)
                services.permission_revoke(
                    user=user,
                    unit=old.content_object,
                    codename=old.permission.codename,
                    actor=request.user,
                )
            if removing:
                deleted.append(original)
                continue
            data = inline_form.cleaned_data
            services.permission_grant(
                user=user,
                unit=data["content_object"],
                codename=data["permission"].codename,
                actor=request.user,
            )
            (changed if original.pk else new).append(original)
        # What the admin's change message reads (the formset itself saved nothing).
        formset.new_objects, formset.deleted_objects = new, deleted
        formset.changed_objects = [(obj, []) for obj in changed]


admin.site.unregister(Group)


@admin.register(Group)
class HrmsGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    """Groups, their permissions read in the user's language."""


@admin.register(GrantChange)
class GrantChangeAdmin(ReadOnlyAdmin):
    """Who gave or withdrew which rights, on which unit, and when (append-only)."""

    list_display = ["at", "user", "unit_or_province", "rights_before", "rights_after", "actor"]
    list_filter = [("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "user__last_name", "unit__name", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["user", "unit", "actor"]
    fields = ["at", "actor", "user", "unit", "rights_before", "rights_after", "reason"]
    readonly_fields = fields

    @admin.display(description=_("unit"))
    def unit_or_province(self, change):
        return change.unit or _("Province-wide")

    @admin.display(description=_("before"))
    def rights_before(self, change):
        return describe_grants(change.before)

    @admin.display(description=_("after"))
    def rights_after(self, change):
        return describe_grants(change.after)


@admin.register(Staff)
class StaffAdmin(ReadOnlyAdmin):
    """Staff records are edited on their own pages (history, conflicts, access log); the
    administration site only lists them."""

    list_display = ["staff_number", "full_name", "unit", "category", "rank", "status"]
    list_filter = ["category", "status"]
    search_fields = ["staff_number", "full_name", "personal_id"]
    list_select_related = ["unit", "rank"]
    fields = ["staff_number", "full_name", "birth_date", "sex", "unit", "category", "rank",
              "status", "user"]  # fmt: skip

    def view_on_site(self, obj):
        return reverse("personnel:staff_detail", args=[obj.pk])


@admin.register(AccessLogEntry)
class AccessLogAdmin(ReadOnlyAdmin):
    """Who viewed, revealed or exported which record (append-only)."""

    list_display = ["at", "user", "action", "staff", "ip_address", "path"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "staff__full_name", "staff__staff_number", "path"]
    date_hierarchy = "at"
    list_select_related = ["user", "staff"]
    fields = ["at", "user", "action", "staff", "path", "ip_address", "detail"]


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = [
        "effective_date",
        "staff",
        "kind",
        "from_unit",
        "to_unit",
        "decision",
        "recorded_by",
    ]
    list_filter = ["kind"]
    search_fields = ["staff__full_name", "staff__staff_number", "decision"]
    date_hierarchy = "effective_date"
    list_select_related = ["staff", "from_unit", "to_unit", "recorded_by"]
    fields = ["staff", "kind", "effective_date", "decision", "from_unit", "to_unit", "position",
              "note", "recorded_by", "recorded_at"]  # fmt: skip


class ReferenceItemAdmin(admin.ModelAdmin):
    """Reference rows are end-dated, never deleted; a new legal value is a new row."""

    list_display = ["code", "name", "valid_from", "valid_to", "confidence", "legal_basis"]
    list_filter = ["confidence"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "sort_order", "valid_from", "valid_to", "legal_basis", "confidence"]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(EthnicGroup, ReferenceItemAdmin)
admin.site.register(Religion, ReferenceItemAdmin)


@admin.register(DisciplineType)
class DisciplineTypeAdmin(ReferenceItemAdmin):
    list_display = ["code", "name", "applies_to", "raise_delay_months", "valid_from", "valid_to",
                    "confidence"]  # fmt: skip
    fields = ["code", "name", "applies_to", "raise_delay_months", "sort_order", "valid_from",
              "valid_to", "legal_basis", "confidence"]  # fmt: skip


@admin.register(RatingLevel)
class RatingLevelAdmin(ReferenceItemAdmin):
    list_display = ["code", "name", "applies_to", "counts_as_completed", "raise_delay_months",
                    "valid_from", "valid_to", "confidence"]  # fmt: skip
    fields = ["code", "name", "applies_to", "counts_as_completed", "raise_delay_months",
              "sort_order", "valid_from", "valid_to", "legal_basis", "confidence"]  # fmt: skip


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Bulk exports and their state (the files are downloadable by the requester only)."""

    list_display = [
        "created_at",
        "requested_by",
        "unit",
        "format",
        "status",
        "done",
        "total",
        "expires_at",
    ]
    list_filter = ["status", "format"]
    list_select_related = ["requested_by", "unit"]
    fields = ["requested_by", "unit", "category", "staff_status", "format", "status", "total",
              "done", "error", "created_at", "started_at", "finished_at", "expires_at"]  # fmt: skip


class SalaryStepInline(admin.TabularInline):
    model = SalaryStep
    fields = ["step", "coefficient", "valid_from", "valid_to", "legal_basis", "confidence"]
    extra = 0
    can_delete = False


class RankPlacementInline(admin.TabularInline):
    model = RankPlacement
    fields = ["group", "valid_from", "valid_to", "legal_basis", "confidence"]
    extra = 0
    can_delete = False


@admin.register(SalaryGroup)
class SalaryGroupAdmin(EffectiveDatedAdmin):
    list_display = ["code", "name", "table", "raise_interval_months", "beyond_scale_wait_months",
                    "confidence"]  # fmt: skip
    list_filter = ["table", "confidence"]
    search_fields = ["code", "name"]
    fields = ["code", "table", "name", "raise_interval_months", "beyond_scale_wait_months",
              "valid_from", "valid_to", "legal_basis", "confidence"]  # fmt: skip
    inlines = [SalaryStepInline]


@admin.register(Rank)
class RankAdmin(EffectiveDatedAdmin):
    list_display = ["code", "name", "group", "valid_from", "valid_to", "confidence"]
    list_filter = ["group__table", "confidence"]
    search_fields = ["code", "name"]
    list_select_related = ["group"]
    fields = ["code", "name", "group", "valid_from", "valid_to", "legal_basis", "confidence"]
    inlines = [RankPlacementInline]
