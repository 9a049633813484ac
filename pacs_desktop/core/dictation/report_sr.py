"""Basic Text SR objects for signed reports (PS3.3 A.35.1).

The object goes into the report's study: the Patient and General Study module
attributes are copied as for the dictation audio (`waveform.copy_study_attributes`),
in a new series of modality SR. The SR Document General module carries the
signature: Verification Flag VERIFIED with the Verifying Observer Sequence (the
signer's name and the Verification DateTime, PS3.3 C.17.2), Completion Flag
COMPLETE, and the dictating radiologist in the Author Observer Sequence. An
amended version lists the SR of the version it replaces in the Predecessor
Documents Sequence.

The content tree is a CONTAINER titled "Diagnostic Imaging Report" (LOINC
18748-4) holding one TEXT item "Finding" (DCM 121071) with the report text,
without a template: Basic Text SR needs none.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (
    PYDICOM_IMPLEMENTATION_UID,
    UID,
    ExplicitVRLittleEndian,
    generate_uid,
)

from pacs_desktop import __version__
from pacs_desktop.core.dictation.report import Report, ReportError, ReportState
from pacs_desktop.core.dictation.store import DictationError
from pacs_desktop.core.dictation.waveform import copy_study_attributes

BASIC_TEXT_SR_STORAGE = UID("1.2.840.10008.5.1.4.1.1.88.11")
# The first Series Number tried for a report's series. A study that uses it
# already gets the next free one (`export.free_series_number`).
REPORT_SERIES_NUMBER = 9002

_TITLE_CODE = ("18748-4", "LN", "Diagnostic Imaging Report")
_FINDING_CODE = ("121071", "DCM", "Finding")
_INSTITUTION = "PACS Desktop workstation"


def _code_item(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _dicom_datetime(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y%m%d%H%M%S.%f%z")


def _person_name(user_name: str) -> str:
    # A login name has no PN component structure; it becomes the family name
    # component. Backslashes and carets would split a PN value, so they go.
    return user_name.replace("\\", " ").replace("^", " ")[:64]


def build_basic_text_sr(
    report: Report,
    study: Dataset | object,
    *,
    author: str,
    predecessor: Dataset | None = None,
    series_instance_uid: str | None = None,
    series_number: int = REPORT_SERIES_NUMBER,
    sop_instance_uid: str | None = None,
) -> Dataset:
    """Build the Basic Text SR object of a signed report version.

    Each version is the one instance of its own series. Its Instance Number is
    the report version, so the versions of a report sort in order by it.

    Parameters
    ----------
    report
        A signed report version.
    study
        An instance of the report's study (Dataset) or its study record.
    author
        The person who dictated the report (Author Observer Sequence).
    predecessor
        The SR of the version this one amends, listed as its predecessor.
    series_number
        Series Number of the new series; pick one the study does not use.

    Raises
    ------
    ReportError
        If the report is not signed, the study is another patient's or study,
        or the study lacks its identifiers.
    """
    if report.state is not ReportState.SIGNED or report.signed_at is None:
        raise ReportError(
            f"report {report.id} is {report.state.value}; only a signed report "
            "becomes an SR object"
        )
    ds = Dataset()
    try:
        copy_study_attributes(study, ds)
    except DictationError as exc:
        raise ReportError(str(exc)) from exc
    _check_same_study(report, ds)
    _unicode_text(ds)

    ds.Modality = "SR"
    ds.SeriesInstanceUID = series_instance_uid or generate_uid()
    ds.SeriesNumber = series_number
    ds.SeriesDescription = "Report"
    ds.ReferencedPerformedProcedureStepSequence = Sequence()
    ds.Manufacturer = "PACS Desktop"
    ds.SoftwareVersions = __version__

    now = datetime.now(timezone.utc).astimezone()
    ds.InstanceNumber = report.version
    ds.ContentDate = now.strftime("%Y%m%d")
    ds.ContentTime = now.strftime("%H%M%S")
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "VERIFIED"
    ds.VerifyingObserverSequence = Sequence([_verifier(report)])
    ds.AuthorObserverSequence = Sequence([_author(author)])
    ds.PerformedProcedureCodeSequence = Sequence()
    if predecessor is not None:
        ds.PredecessorDocumentsSequence = Sequence([_reference(predecessor)])
    _add_content(ds, report.text)

    ds.SOPClassUID = BASIC_TEXT_SR_STORAGE
    ds.SOPInstanceUID = sop_instance_uid or generate_uid()
    ds.InstanceCreationDate = ds.ContentDate
    ds.InstanceCreationTime = ds.ContentTime
    ds.file_meta = _file_meta(ds.SOPInstanceUID)
    return ds


def _check_same_study(report: Report, ds: Dataset) -> None:
    if (
        str(ds.StudyInstanceUID) != report.StudyInstanceUID
        or str(ds.PatientID) != report.PatientID
    ):
        raise ReportError(
            f"report {report.id} belongs to another study or PatientID than the "
            "study given for its SR object; check the study before sending"
        )


def _unicode_text(ds: Dataset) -> None:
    # The report text may hold any character, so the object is UTF-8
    # (ISO_IR 192). Copied names become plain decoded strings to be re-encoded.
    ds.SpecificCharacterSet = "ISO_IR 192"
    for element in ds:
        if element.VR == "PN" and element.value is not None:
            element.value = str(element.value)


def _verifier(report: Report) -> Dataset:
    assert report.signed_at is not None and report.signed_by is not None
    item = Dataset()
    item.VerifyingObserverName = _person_name(report.signed_by)
    item.VerifyingObserverIdentificationCodeSequence = Sequence()
    item.VerifyingOrganization = _INSTITUTION
    item.VerificationDateTime = _dicom_datetime(report.signed_at)
    return item


def _author(author: str) -> Dataset:
    item = Dataset()
    item.ObserverType = "PSN"
    item.PersonName = _person_name(author)
    item.PersonIdentificationCodeSequence = Sequence()
    item.InstitutionName = _INSTITUTION
    item.InstitutionCodeSequence = Sequence()
    return item


def _reference(previous: Dataset) -> Dataset:
    sop = Dataset()
    sop.ReferencedSOPClassUID = previous.SOPClassUID
    sop.ReferencedSOPInstanceUID = previous.SOPInstanceUID
    series = Dataset()
    series.SeriesInstanceUID = previous.SeriesInstanceUID
    series.ReferencedSOPSequence = Sequence([sop])
    study = Dataset()
    study.StudyInstanceUID = previous.StudyInstanceUID
    study.ReferencedSeriesSequence = Sequence([series])
    return study


def _add_content(ds: Dataset, text: str) -> None:
    finding = Dataset()
    finding.RelationshipType = "CONTAINS"
    finding.ValueType = "TEXT"
    finding.ConceptNameCodeSequence = Sequence([_code_item(*_FINDING_CODE)])
    finding.TextValue = text

    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([_code_item(*_TITLE_CODE)])
    ds.ContinuityOfContent = "SEPARATE"
    ds.ContentSequence = Sequence([finding])


def _file_meta(sop_instance_uid: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = BASIC_TEXT_SR_STORAGE
    meta.MediaStorageSOPInstanceUID = UID(sop_instance_uid)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    return meta


def read_report_text(ds: Dataset) -> str:
    """Return the text of the TEXT items of an SR content tree, in order.

    Raises
    ------
    ReportError
        If the object has no TEXT content item.
    """
    texts: list[str] = []

    def walk(items: Sequence) -> None:
        for item in items:
            if item.get("ValueType") == "TEXT":
                texts.append(str(item.get("TextValue", "")))
            walk(item.get("ContentSequence", []))

    walk(ds.get("ContentSequence", []))
    if not texts:
        raise ReportError("the SR object has no TEXT content item")
    return "\n\n".join(texts)


def write_sr(ds: Dataset, path: Path) -> None:
    """Write an SR object as a DICOM file (with preamble and file meta).

    Raises
    ------
    OSError
        If the file cannot be written.
    """
    ds.save_as(path, enforce_file_format=True)
