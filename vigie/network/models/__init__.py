from .consent import RecordedConsent
from .directory import ContactKind, DirectoryEntry
from .notifications import Notification, NotificationKind
from .places import AccommodationPlace, HoldStatus, PlaceHold, PlaceKind
from .referrals import READABLE_STATUSES, Referral, ReferralStatus, ServiceRecord
from .transfers import Transfer, TransferDestination, TransferStatus
from .vocabulary import ChildConsent, FileSection, Need, ParentsConsent

__all__ = [
    "READABLE_STATUSES",
    "AccommodationPlace",
    "ChildConsent",
    "ContactKind",
    "DirectoryEntry",
    "FileSection",
    "HoldStatus",
    "Need",
    "Notification",
    "NotificationKind",
    "ParentsConsent",
    "PlaceHold",
    "PlaceKind",
    "RecordedConsent",
    "Referral",
    "ReferralStatus",
    "ServiceRecord",
    "Transfer",
    "TransferDestination",
    "TransferStatus",
]
