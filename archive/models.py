"""The archive's tables: units, accounts and their API keys, issued documents (each version its
own row, never updated), the signed scans beside them, the Word templates installed, the audit
log, units' rosters, the months excused from a Phiếu 01, background jobs and the logins ended
before their time."""

from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow():
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A moment in UTC, read back with its time zone on SQLite too (which stores none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    parent: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # an archive.roles.Role's value
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    password_hash: Mapped[str | None] = mapped_column(String(300))  # None: API keys only
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class RevokedSession(Base):
    """A login ended by «Đăng xuất»: its cookie, and every copy of it, no longer logs in. Kept
    until the session would have ended anyway (its absolute lifetime)."""

    __tablename__ = "revoked_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the cookie's "sid"
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(20))  # shown in listings to tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()


class Document(Base):
    """One issued form, one version. A correction is a new row whose `previous_id` points here."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("unit_id", "form", "person_key", "year", "month", "version",
                         name="uq_documents_version"),
        Index("ix_documents_listing", "unit_id", "year", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    form: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    person_name: Mapped[str | None] = mapped_column(String(200))
    # Who the form is about, for versioning: the name NFC, case-folded, spaces collapsed ("" for
    # the tổng hợp). Accents stay: "Lê Thị Hà" and "Lê Thị Hạ" are two people.
    person_key: Mapped[str] = mapped_column(String(200), index=True)
    person_search: Mapped[str] = mapped_column(String(200))  # without accents, for searching
    version: Mapped[int] = mapped_column(Integer)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    title: Mapped[str] = mapped_column(String(400))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    json_sha256: Mapped[str] = mapped_column(String(64))
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # The Word template it was filled from (archive/templates.py): its version (0: the built-in
    # one) and its bytes' SHA-256, a file of the store. None: issued before templates were kept.
    template_version: Mapped[int | None] = mapped_column(Integer)
    template_sha256: Mapped[str | None] = mapped_column(String(64))

    unit: Mapped[Unit] = relationship()
    issued_by: Mapped[User] = relationship()
    scans: Mapped[list["SignedScan"]] = relationship(order_by="SignedScan.id")


class FormTemplate(Base):
    """A Word template installed for a form, district-wide or for one unit (`unit_id`): its
    bytes are a file of the store. Never deleted: a record names its version. Of a form and a
    unit (or the district), the active one fills the forms; rolling back activates another."""

    __tablename__ = "form_templates"
    __table_args__ = (UniqueConstraint("form", "version", name="uq_form_templates_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(String(20))  # a slug of forms.FORMS
    version: Mapped[int] = mapped_column(Integer)  # from 1, per form
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # None: every unit
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)
    installed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: CLI

    unit: Mapped[Unit | None] = relationship()
    installed_by: Mapped[User | None] = relationship()


class SignedScan(Base):
    """The scan of the signed and stamped paper copy, kept beside the generated PDF."""

    __tablename__ = "signed_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    uploaded_by: Mapped[User] = relationship()


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    outcome: Mapped[str] = mapped_column(String(20))  # ok, refused, failed
    document_id: Mapped[int | None] = mapped_column(Integer)  # no FK: refusals name any id
    method: Mapped[str | None] = mapped_column(String(10))
    path: Mapped[str | None] = mapped_column(String(500))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")


class Member(Base):
    """One person on a unit's roster: who should have a Phiếu 01 each month, in what order."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("unit_id", "person_key", name="uq_members_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    person_key: Mapped[str] = mapped_column(String(200))  # as Document.person_key
    position: Mapped[str] = mapped_column(String(200), default="")
    order: Mapped[int] = mapped_column(Integer)  # the roster's order: the tổng hợp's rows
    active_from: Mapped[date | None] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ExcusedMonth(Base):
    """A month a person owes no Phiếu 01, as the competent level recorded it (II.3.1, Lưu ý 3:
    illness, leave, maternity…): neither flagged as missing nor counted at year end."""

    __tablename__ = "excused_months"
    __table_args__ = (UniqueConstraint("unit_id", "person_key", "year", "month",
                                       name="uq_excused_months_person_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    person_key: Mapped[str] = mapped_column(String(200))  # as Document.person_key
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))  # forms.vocab.EXCUSE_REASONS
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User] = relationship()


class Job(Base):
    """Work done in the background (a batch of forms to issue): its items say what is left."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: not guessable
    kind: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # running, done
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    runs: Mapped[int] = mapped_column(Integer, default=0)  # >1: resumed after a lost worker
    # People already issued that month: replaced by the batch's form, or (default) left alone.
    replace_existing: Mapped[bool] = mapped_column(Boolean, default=False,
                                                   server_default=false())

    items: Mapped[list["JobItem"]] = relationship(order_by="JobItem.position")


class JobItem(Base):
    """One unit of a job's work. Marked done in the same commit that issues its document, so a
    worker lost in between leaves it pending: retried, never issued twice."""

    __tablename__ = "job_items"
    __table_args__ = (UniqueConstraint("job_id", "position", name="uq_job_items_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[str] = mapped_column(Text)  # the item's input, JSON
    # done (a new version issued), failed, skipped (already issued; left alone), unchanged
    # (already issued with this very content)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    error: Mapped[str | None] = mapped_column(Text)  # Vietnamese, for the user
    row: Mapped[int | None] = mapped_column(Integer)  # the form's first row in the spreadsheet
    # done: the version issued; skipped, unchanged: the version that stands
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    replaced_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))

    document: Mapped[Document | None] = relationship(foreign_keys=[document_id], lazy="selectin")
    replaced: Mapped[Document | None] = relationship(foreign_keys=[replaced_id], lazy="selectin")
