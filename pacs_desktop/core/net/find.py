"""C-FIND in the Study Root information model (PS3.4 Annex C) at STUDY,
SERIES and IMAGE level.

The filters are those of the local `StudyQuery`, so the same search form
works on the archive and on a PACS. Query keys are encoded in the character
set that the identifier declares in Specific Character Set (0008,0005); each
response is decoded with the character set it declares itself.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pydicom import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset
from pydicom.valuerep import PersonName
from pynetdicom import build_context

from pacs_desktop.core.archive.query import parse_modalities
from pacs_desktop.core.archive.records import SeriesRecord, StudyQuery, StudyRecord
from pacs_desktop.core.net.association import LocalEntity, OpenAssociation, associate
from pacs_desktop.core.net.errors import (
    AssociationAbortedError,
    OperationFailedError,
)
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.status import PENDING, SUCCESS, is_out_of_resources

logger = logging.getLogger(__name__)

STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1"

LATIN1 = "ISO_IR 100"
UTF8 = "ISO_IR 192"


@dataclass(frozen=True)
class RemoteInstance:
    """An instance as an IMAGE-level C-FIND returns it."""

    SOPInstanceUID: str
    SOPClassUID: str
    SeriesInstanceUID: str


def choose_character_set(values: Iterable[str]) -> str:
    """Return the Specific Character Set for query keys ``values``.

    ISO_IR 100 (Latin-1) when every value fits in it, because more PACS
    support it than UTF-8; ISO_IR 192 (UTF-8) otherwise.
    """
    try:
        for value in values:
            value.encode("latin-1")
    except UnicodeEncodeError:
        return UTF8
    return LATIN1


def study_identifier(
    query: StudyQuery,
    *,
    patient_birth_date: str = "",
    character_set: str | None = None,
) -> Dataset:
    """Build the STUDY-level C-FIND identifier for ``query``.

    Every key of a `StudyRecord` is present, empty when it is only a return
    key, so the PACS returns it. ``patient_birth_date``, when given, takes the
    place of ``query.patient_birth_date``. Several modalities in
    ``query.modality`` become a multi-valued ModalitiesInStudy (``CT\\MR``),
    which matches a study with any of them (PS3.4 section C.2.2.2.2).

    Raises
    ------
    QueryError
        If ``query.modality`` contains an invalid modality code.
    """
    modalities = parse_modalities(query.modality)
    patient_birth_date = patient_birth_date or query.patient_birth_date
    keys = {
        "PatientName": query.patient_name,
        "PatientID": query.patient_id,
        "PatientBirthDate": patient_birth_date,
        "AccessionNumber": query.accession,
        "StudyDescription": query.description,
    }
    ds = Dataset()
    ds.SpecificCharacterSet = character_set or choose_character_set(keys.values())
    ds.QueryRetrieveLevel = "STUDY"
    ds.PatientName = PersonName(query.patient_name) if query.patient_name else ""
    ds.PatientID = query.patient_id
    ds.PatientBirthDate = patient_birth_date
    ds.PatientSex = ""
    ds.StudyInstanceUID = ""
    ds.StudyDate = query.date_range
    ds.StudyTime = ""
    ds.AccessionNumber = query.accession
    # One code stays a plain value; several become a value list.
    ds.ModalitiesInStudy = (
        list(modalities) if len(modalities) > 1 else "".join(modalities)
    )
    ds.StudyDescription = query.description
    ds.NumberOfStudyRelatedSeries = None
    ds.NumberOfStudyRelatedInstances = None
    return ds


def series_identifier(study_uid: str) -> Dataset:
    """Build the SERIES-level C-FIND identifier for the series of a study."""
    ds = Dataset()
    ds.SpecificCharacterSet = LATIN1
    ds.QueryRetrieveLevel = "SERIES"
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = ""
    ds.Modality = ""
    ds.SeriesNumber = None
    ds.SeriesDescription = ""
    ds.NumberOfSeriesRelatedInstances = None
    return ds


def encoded_identifier(ds: Dataset) -> bytes:
    """Encode a C-FIND identifier in Explicit VR Little Endian.

    These are the bytes that an audit Query message carries (PS3.15
    A.5.3.12). Values are encoded in the identifier's Specific Character Set.

    Raises
    ------
    ValueError
        If a value cannot be encoded in its VR.
    """
    buffer = DicomBytesIO()
    buffer.is_little_endian = True
    buffer.is_implicit_VR = False
    try:
        write_dataset(buffer, ds)
    except (OSError, struct.error, OverflowError, TypeError):
        # pydicom's message quotes the element's value, which may be patient
        # data, so neither the message nor the cause is passed on.
        raise ValueError(
            "failed to encode the C-FIND identifier in Explicit VR Little Endian "
            "because a value does not fit its VR. Check the search values."
        ) from None
    return buffer.getvalue()


def find_studies(
    node: Node,
    local: LocalEntity,
    query: StudyQuery,
    *,
    patient_birth_date: str = "",
    character_set: str | None = None,
) -> list[StudyRecord]:
    """Search ``node`` for studies matching ``query`` with a STUDY-level C-FIND.

    Counts that the PACS does not return are 0. ``query.limit`` truncates the
    list after it is received.

    Raises
    ------
    NetworkError
        If the association fails or the PACS answers with a failure status.
    """
    with find_association(node, local) as opened:
        return find_studies_on(
            opened,
            query,
            patient_birth_date=patient_birth_date,
            character_set=character_set,
        )


@contextmanager
def find_association(node: Node, local: LocalEntity) -> Iterator[OpenAssociation]:
    """Open an association for Study Root C-FIND, yield it, then release it.

    Several queries on one association save the association set-up and
    release (two round trips each) that `find_studies` pays per query.

    Raises
    ------
    NetworkError
        If the association cannot be opened.
    """
    with associate(node, local, [build_context(STUDY_ROOT_FIND)]) as opened:
        yield opened


def find_studies_on(
    opened: OpenAssociation,
    query: StudyQuery,
    *,
    patient_birth_date: str = "",
    character_set: str | None = None,
) -> list[StudyRecord]:
    """Run a STUDY-level C-FIND for ``query`` on an open association.

    ``opened`` comes from `find_association`; otherwise as `find_studies`.

    Raises
    ------
    NetworkError
        If the association fails or the PACS answers with a failure status.
    """
    identifier = study_identifier(
        query, patient_birth_date=patient_birth_date, character_set=character_set
    )
    records = [_study_record(ds) for ds in _responses(opened, identifier)]
    if query.limit is not None:
        records = records[: query.limit]
    logger.info(
        "C-FIND at STUDY level on %s: %d studies", opened.node.label, len(records)
    )
    return records


def find_series(node: Node, local: LocalEntity, study_uid: str) -> list[SeriesRecord]:
    """List the series of a study on ``node`` with a SERIES-level C-FIND.

    Raises
    ------
    NetworkError
        If the association fails or the PACS answers with a failure status.
    """
    found = [
        _series_record(ds, study_uid)
        for ds in _run_find(node, local, series_identifier(study_uid))
    ]
    found.sort(key=lambda series: (series.SeriesNumber is None, series.SeriesNumber))
    return found


def find_instances(
    node: Node, local: LocalEntity, study_uid: str, series_uids: Iterable[str] = ()
) -> list[RemoteInstance]:
    """List the instances of a study (or of some of its series) on ``node``.

    Raises
    ------
    NetworkError
        If the association fails or the PACS answers with a failure status.
    """
    wanted = list(series_uids)
    found: list[RemoteInstance] = []
    for series_uid in wanted or [""]:
        ds = Dataset()
        ds.SpecificCharacterSet = LATIN1
        ds.QueryRetrieveLevel = "IMAGE"
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.SOPInstanceUID = ""
        ds.SOPClassUID = ""
        found.extend(
            RemoteInstance(
                SOPInstanceUID=str(answer.get("SOPInstanceUID", "")),
                SOPClassUID=str(answer.get("SOPClassUID", "")),
                SeriesInstanceUID=str(answer.get("SeriesInstanceUID", "")),
            )
            for answer in _run_find(node, local, ds)
        )
    return found


def count_related_instances(
    node: Node, local: LocalEntity, study_uid: str, series_uids: Iterable[str] = ()
) -> int | None:
    """Return the PACS's instance count of a study, or of the listed series.

    The count is NumberOfStudyRelatedInstances from a STUDY-level C-FIND, or
    the sum of NumberOfSeriesRelatedInstances from a SERIES-level C-FIND for
    each listed series. Returns None when the PACS returns no count.

    Raises
    ------
    NetworkError
        If the association fails or the PACS answers with a failure status.
    """
    wanted = list(series_uids)
    ds = Dataset()
    ds.SpecificCharacterSet = LATIN1
    ds.StudyInstanceUID = study_uid
    if not wanted:
        ds.QueryRetrieveLevel = "STUDY"
        ds.NumberOfStudyRelatedInstances = None
        keyword = "NumberOfStudyRelatedInstances"
    else:
        ds.QueryRetrieveLevel = "SERIES"
        ds.SeriesInstanceUID = wanted if len(wanted) > 1 else wanted[0]
        ds.NumberOfSeriesRelatedInstances = None
        keyword = "NumberOfSeriesRelatedInstances"
    answers = _run_find(node, local, ds)
    counts = [answer.get(keyword) for answer in answers]
    if not counts or any(value in (None, "") for value in counts):
        return None
    return sum(_count(answer, keyword) for answer in answers)


def _run_find(node: Node, local: LocalEntity, identifier: Dataset) -> list[Dataset]:
    with find_association(node, local) as opened:
        return list(_responses(opened, identifier))


def _responses(opened: OpenAssociation, identifier: Dataset) -> Iterator[Dataset]:
    node = opened.node
    answered = False
    for status, answer in opened.assoc.send_c_find(identifier, STUDY_ROOT_FIND):
        try:
            code = opened.status(status, "C-FIND")
        except AssociationAbortedError as exc:
            if answered:
                raise
            raise _aborted_at_request(opened, exc) from exc
        answered = True
        if code in PENDING:
            if answer is not None:
                yield answer
            continue
        if code == SUCCESS:
            return
        raise OperationFailedError(
            node.label,
            f"C-FIND failed with status 0x{code:04X}"
            + _error_comment(status)
            + "; check the search values",
            status=code,
            retryable=is_out_of_resources(code),
        )


def _aborted_at_request(
    opened: OpenAssociation, error: AssociationAbortedError
) -> AssociationAbortedError:
    # A PACS that accepts the association but not the calling AE title for
    # C-FIND (Orthanc 1.10 without a DicomModalities entry, for one) aborts
    # it at the first request. A DIMSE timeout raises NetworkTimeoutError
    # before this point, so it gets no such hint.
    calling = opened.assoc.requestor.ae_title
    return AssociationAbortedError(
        error.peer,
        f"{error.reason}; the PACS may not accept calling AE title {calling}; "
        "check that it knows this workstation",
        retryable=error.retryable,
    )


def _error_comment(status: Dataset) -> str:
    comment = status.get("ErrorComment", "")
    return f" ({comment})" if comment else ""


def _text(ds: Dataset, keyword: str) -> str:
    value = ds.get(keyword, "")
    return "" if value is None else str(value)


def _count(ds: Dataset, keyword: str) -> int:
    value = ds.get(keyword)
    try:
        return int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


def _modalities(ds: Dataset) -> list[str]:
    value = ds.get("ModalitiesInStudy")
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part for part in value.split("\\") if part]
    return [str(part) for part in value if part]


def _study_record(ds: Dataset) -> StudyRecord:
    # Person names decode with the response's own Specific Character Set.
    return StudyRecord(
        PatientName=_text(ds, "PatientName"),
        PatientID=_text(ds, "PatientID"),
        PatientBirthDate=_text(ds, "PatientBirthDate"),
        PatientSex=_text(ds, "PatientSex"),
        StudyInstanceUID=_text(ds, "StudyInstanceUID"),
        StudyDate=_text(ds, "StudyDate"),
        StudyTime=_text(ds, "StudyTime"),
        AccessionNumber=_text(ds, "AccessionNumber"),
        ModalitiesInStudy=_modalities(ds),
        StudyDescription=_text(ds, "StudyDescription"),
        NumberOfStudyRelatedSeries=_count(ds, "NumberOfStudyRelatedSeries"),
        NumberOfStudyRelatedInstances=_count(ds, "NumberOfStudyRelatedInstances"),
    )


def _series_record(ds: Dataset, study_uid: str) -> SeriesRecord:
    number = ds.get("SeriesNumber")
    try:
        series_number = int(number) if number not in (None, "") else None
    except (TypeError, ValueError):
        series_number = None
    return SeriesRecord(
        SeriesInstanceUID=_text(ds, "SeriesInstanceUID"),
        Modality=_text(ds, "Modality"),
        SeriesNumber=series_number,
        SeriesDescription=_text(ds, "SeriesDescription"),
        NumberOfSeriesRelatedInstances=_count(ds, "NumberOfSeriesRelatedInstances"),
        StudyInstanceUID=_text(ds, "StudyInstanceUID") or study_uid,
    )
