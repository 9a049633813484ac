"""Basic Voice Audio Waveform objects for dictations, and reading them back.

PS3.3 A.34.2 limits the Basic Voice Audio Waveform IOD (SOP Class
1.2.840.10008.5.1.4.1.1.9.4.1) to one multiplex group with one channel sampled at
8000 Hz, as 8-bit mu-law (MB) or A-law (AB) or 16-bit signed (SS) samples. The
recording is resampled to 8 kHz for the object; the archive keeps the original
recording at its own rate beside it.

The object goes into the dictation's study: the Patient, General Study and
Patient Study module attributes are copied from an archived instance of that
study (or from the study record), in a new series of modality AU.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (
    PYDICOM_IMPLEMENTATION_UID,
    UID,
    ExplicitVRLittleEndian,
    generate_uid,
)

from pacs_desktop import __version__
from pacs_desktop.core.dictation.store import DictationError

BASIC_VOICE_AUDIO_STORAGE = UID("1.2.840.10008.5.1.4.1.1.9.4.1")
VOICE_AUDIO_RATE = 8000  # Hz; the only sampling frequency PS3.3 A.34.2 allows
SAMPLE_INTERPRETATIONS = ("SS", "MB", "AB")
# The first Series Number tried for a dictation's audio series. A study that
# uses it already gets the next free one (`export.free_series_number`).
AUDIO_SERIES_NUMBER = 9001

# Attributes of the Patient, General Study and Patient Study modules (PS3.3
# C.7.1.1, C.7.2.1, C.7.2.2) copied from the study's own instances.
STUDY_KEYWORDS = (
    "PatientName",
    "PatientID",
    "IssuerOfPatientID",
    "IssuerOfPatientIDQualifiersSequence",
    "PatientBirthDate",
    "PatientSex",
    "OtherPatientIDsSequence",
    "PatientComments",
    "PatientIdentityRemoved",
    "DeidentificationMethod",
    "StudyInstanceUID",
    "StudyDate",
    "StudyTime",
    "ReferringPhysicianName",
    "StudyID",
    "AccessionNumber",
    "IssuerOfAccessionNumberSequence",
    "StudyDescription",
    "PatientAge",
    "PatientSize",
    "PatientWeight",
)
# Type 2 attributes that must be present, empty when unknown.
_TYPE2_STUDY = (
    "PatientName",
    "PatientBirthDate",
    "PatientSex",
    "StudyDate",
    "StudyTime",
    "ReferringPhysicianName",
    "StudyID",
    "AccessionNumber",
)

# DCM 109110 "Voice" from CID 3000 Audio Channel Source.
_VOICE_CODE = ("109110", "DCM", "Voice")

_MULAW_BIAS = 33  # on the 14-bit scale of the encoder
_MULAW_CLIP = 8158  # the largest magnitude that still fits in segment 7


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample a mono signal, low-pass filtering first when lowering the rate.

    Returns float64 samples on the scale of the input.
    """
    signal = np.asarray(samples, dtype=np.float64)
    if from_rate == to_rate or len(signal) == 0:
        return signal
    if to_rate < from_rate:
        # Windowed-sinc FIR, cut-off at 90 % of the new Nyquist frequency.
        cutoff = 0.45 * to_rate / from_rate
        taps = np.arange(129) - 64
        kernel = 2 * cutoff * np.sinc(2 * cutoff * taps) * np.hamming(len(taps))
        signal = np.convolve(signal, kernel / kernel.sum(), mode="same")
    count = int(len(signal) * to_rate // from_rate)
    positions = np.arange(count) * (from_rate / to_rate)
    return np.interp(positions, np.arange(len(signal)), signal)


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """Encode int16 samples as 8-bit mu-law (ITU-T G.711), returning uint8."""
    # G.711 works on 14-bit values; the floor shift makes negatives one step
    # larger in magnitude, as the reference encoder does.
    values = np.asarray(samples, dtype=np.int32) >> 2
    sign = np.where(values < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(values), _MULAW_CLIP) + _MULAW_BIAS
    exponent = np.clip(np.floor(np.log2(magnitude)).astype(np.int32) - 5, 0, 7)
    mantissa = (magnitude >> (exponent + 1)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    """Decode 8-bit mu-law (ITU-T G.711) to int16."""
    inverted = ~np.asarray(codes, dtype=np.int32) & 0xFF
    exponent = (inverted >> 4) & 0x07
    mantissa = inverted & 0x0F
    magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return np.where(inverted & 0x80, -magnitude, magnitude).astype(np.int16)


def alaw_encode(samples: np.ndarray) -> np.ndarray:
    """Encode int16 samples as 8-bit A-law (ITU-T G.711), returning uint8."""
    values = np.asarray(samples, dtype=np.int32) >> 3  # 13-bit magnitude scale
    sign = np.where(values >= 0, 0x80, 0)
    magnitude = np.minimum(np.where(values >= 0, values, -values - 1), 0x0FFF)
    exponent = np.where(
        magnitude < 32, 0, np.floor(np.log2(np.maximum(magnitude, 1))).astype(int) - 4
    )
    mantissa = (
        np.where(exponent == 0, magnitude >> 1, magnitude >> np.maximum(exponent, 1))
        & 0x0F
    )
    return ((sign | (exponent << 4) | mantissa) ^ 0x55).astype(np.uint8)


def alaw_decode(codes: np.ndarray) -> np.ndarray:
    """Decode 8-bit A-law (ITU-T G.711) to int16."""
    value = np.asarray(codes, dtype=np.int32) ^ 0x55
    exponent = (value >> 4) & 0x07
    mantissa = value & 0x0F
    magnitude = np.where(
        exponent == 0,
        (mantissa << 4) + 8,
        ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0),
    )
    return np.where(value & 0x80, magnitude, -magnitude).astype(np.int16)


def _code_item(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def copy_study_attributes(source: Dataset | object, target: Dataset) -> None:
    """Copy the Patient and Study module attributes of ``source`` into ``target``.

    ``source`` is an instance of the study (a Dataset) or a study record with
    attributes named by DICOM keywords.

    Raises
    ------
    DictationError
        If the source has no StudyInstanceUID or PatientID.
    """
    if isinstance(source, Dataset):
        if "SpecificCharacterSet" in source:
            target.SpecificCharacterSet = source.SpecificCharacterSet
        for keyword in STUDY_KEYWORDS:
            if keyword in source:
                target[keyword] = source[keyword]
    else:
        target.SpecificCharacterSet = "ISO_IR 192"  # study records hold Unicode
        for keyword in STUDY_KEYWORDS:
            value = getattr(source, keyword, None)
            if isinstance(value, str) and value:
                setattr(target, keyword, value)
    for keyword in _TYPE2_STUDY:
        if keyword not in target:
            setattr(target, keyword, "")
    if not target.get("StudyInstanceUID") or not target.get("PatientID"):
        raise DictationError(
            "the study has no StudyInstanceUID or PatientID; the audio object "
            "cannot be attached to it"
        )


def build_voice_audio(
    samples: np.ndarray,
    sample_rate: int,
    study: Dataset | object,
    *,
    acquired: datetime,
    author: str = "",
    sample_interpretation: str = "SS",
    series_instance_uid: str | None = None,
    series_number: int = AUDIO_SERIES_NUMBER,
    sop_instance_uid: str | None = None,
) -> Dataset:
    """Build a Basic Voice Audio Waveform object from a mono recording.

    The Instance Number is 1 for ``SS``, 2 for ``MB`` and 3 for ``AB``: the
    encodings of one recording share its series, so each gets its own number.

    Parameters
    ----------
    samples
        int16 samples; a 2-D array uses its first channel.
    sample_rate
        Rate of ``samples`` in Hz; resampled to 8000 Hz.
    study
        An instance of the study (Dataset) or its study record.
    acquired
        When the recording started (Acquisition DateTime).
    author
        The person who dictated, stored as Performing Physician's Name.
    sample_interpretation
        ``SS`` (16-bit signed), ``MB`` (8-bit mu-law) or ``AB`` (8-bit A-law).
    series_number
        Series Number of the audio series; pick one the study does not use.

    Raises
    ------
    DictationError
        If the interpretation is not allowed, the recording is empty or too long,
        or the study lacks its identifiers.
    """
    if sample_interpretation not in SAMPLE_INTERPRETATIONS:
        raise DictationError(
            f"Waveform Sample Interpretation {sample_interpretation!r} is not "
            f"allowed in Basic Voice Audio; use one of {SAMPLE_INTERPRETATIONS}"
        )
    mono = np.asarray(samples)
    if mono.ndim > 1:
        mono = mono[:, 0]
    audio = np.clip(
        np.round(resample(mono, sample_rate, VOICE_AUDIO_RATE)), -32768, 32767
    )
    audio16 = audio.astype(np.int16)
    if len(audio16) == 0:
        raise DictationError("the dictation has no audio samples to export")
    if len(audio16) > 0xFFFFFFFF:
        raise DictationError("the dictation is too long for one waveform object")

    ds = Dataset()
    copy_study_attributes(study, ds)
    _add_series_and_equipment(ds, author, series_instance_uid, series_number)
    local = acquired.astimezone()
    now = datetime.now(timezone.utc).astimezone()
    ds.InstanceNumber = SAMPLE_INTERPRETATIONS.index(sample_interpretation) + 1
    ds.ContentDate = now.strftime("%Y%m%d")
    ds.ContentTime = now.strftime("%H%M%S")
    ds.AcquisitionDateTime = local.strftime("%Y%m%d%H%M%S.%f%z")
    ds.AcquisitionContextSequence = Sequence()
    ds.WaveformSequence = Sequence([_waveform_item(audio16, sample_interpretation)])

    ds.SOPClassUID = BASIC_VOICE_AUDIO_STORAGE
    ds.SOPInstanceUID = sop_instance_uid or generate_uid()
    ds.InstanceCreationDate = ds.ContentDate
    ds.InstanceCreationTime = ds.ContentTime
    ds.file_meta = _file_meta(ds.SOPInstanceUID)
    return ds


def _add_series_and_equipment(
    ds: Dataset, author: str, series_instance_uid: str | None, series_number: int
) -> None:
    ds.Modality = "AU"
    ds.SeriesInstanceUID = series_instance_uid or generate_uid()
    ds.SeriesNumber = series_number
    ds.SeriesDescription = "Dictation"
    if author:
        ds.PerformingPhysicianName = author
    ds.Manufacturer = "PACS Desktop"
    ds.SoftwareVersions = __version__


def _waveform_item(audio: np.ndarray, interpretation: str) -> Dataset:
    channel = Dataset()
    channel.WaveformChannelNumber = 1
    channel.ChannelLabel = "Voice"
    channel.ChannelSourceSequence = Sequence([_code_item(*_VOICE_CODE)])
    channel.ChannelSampleSkew = "0"
    channel.WaveformBitsStored = 16 if interpretation == "SS" else 8

    item = Dataset()
    item.WaveformOriginality = "ORIGINAL"
    item.NumberOfWaveformChannels = 1
    item.NumberOfWaveformSamples = len(audio)
    item.SamplingFrequency = str(VOICE_AUDIO_RATE)
    item.MultiplexGroupLabel = "Dictation"
    item.ChannelDefinitionSequence = Sequence([channel])
    item.WaveformSampleInterpretation = interpretation
    if interpretation == "SS":
        item.WaveformBitsAllocated = 16
        data = audio.astype("<i2").tobytes()
        item.add_new("WaveformData", "OW", data)
    else:
        item.WaveformBitsAllocated = 8
        codes = mulaw_encode(audio) if interpretation == "MB" else alaw_encode(audio)
        data = codes.tobytes()
        if len(data) % 2:
            data += b"\x00"  # OB values have even length (PS3.5 7.1.1)
        item.add_new("WaveformData", "OB", data)
    return item


def _file_meta(sop_instance_uid: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = BASIC_VOICE_AUDIO_STORAGE
    meta.MediaStorageSOPInstanceUID = UID(sop_instance_uid)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    return meta


def read_voice_audio(ds: Dataset) -> tuple[np.ndarray, int]:
    """Return the int16 samples and sampling frequency of an audio waveform object.

    Raises
    ------
    DictationError
        If the object has no single-channel audio waveform this module can read.
    """
    items: Iterable[Dataset] = ds.get("WaveformSequence", [])
    for item in items:
        channels = int(item.get("NumberOfWaveformChannels", 0))
        interpretation = str(item.get("WaveformSampleInterpretation", ""))
        if channels != 1 or interpretation not in SAMPLE_INTERPRETATIONS:
            continue
        count = int(item.NumberOfWaveformSamples)
        raw = bytes(item.WaveformData)
        rate = int(float(item.SamplingFrequency))
        if interpretation == "SS":
            return np.frombuffer(raw, dtype="<i2")[:count].copy(), rate
        codes = np.frombuffer(raw, dtype=np.uint8)[:count]
        decode = mulaw_decode if interpretation == "MB" else alaw_decode
        return decode(codes), rate
    raise DictationError(
        "the object has no one-channel audio waveform (SS, MB or AB samples)"
    )


def write_voice_audio(ds: Dataset, path: Path) -> None:
    """Write a waveform object as a DICOM file (with preamble and file meta).

    Raises
    ------
    OSError
        If the file cannot be written.
    """
    ds.save_as(path, enforce_file_format=True)
