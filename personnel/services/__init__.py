"""Services: every write to personnel data goes through these functions (one transaction each,
locking what they change, recording history and lineage)."""

from personnel.services.access import (
    permission_grant,
    permission_revoke,
    provincial_admin_group_ensure,
    provincial_admin_set,
    record_group_change,
    role_grant,
    role_revoke,
    unit_permissions_set,
)
from personnel.services.access_log import access_log_record
from personnel.services.org import (
    unit_dissolve,
    unit_establish,
    unit_move,
    unit_rename,
    unit_split,
    units_merge,
)
from personnel.services.requests import (
    change_request_approve,
    change_request_create,
    change_request_reject,
    change_request_withdraw,
    document_attach,
    notify,
    notify_approvers,
)
from personnel.services.staff import (
    DuplicatePerson,
    EditConflict,
    duplicate_message,
    staff_create,
    staff_rows_save,
    staff_status_change,
    staff_transfer,
    staff_update,
)

__all__ = [
    "change_request_approve",
    "change_request_create",
    "change_request_reject",
    "change_request_withdraw",
    "document_attach",
    "notify",
    "notify_approvers",
    "DuplicatePerson",
    "EditConflict",
    "access_log_record",
    "duplicate_message",
    "staff_create",
    "staff_rows_save",
    "staff_status_change",
    "staff_transfer",
    "staff_update",
    "permission_grant",
    "permission_revoke",
    "provincial_admin_group_ensure",
    "provincial_admin_set",
    "record_group_change",
    "role_grant",
    "role_revoke",
    "unit_permissions_set",
    "unit_dissolve",
    "unit_establish",
    "unit_move",
    "unit_rename",
    "unit_split",
    "units_merge",
]
