"""The display pipeline on synthetic images with known display values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import UID

from pacs_desktop.core.dicom.geometry import frame_display_order
from pacs_desktop.core.dicom.pipeline import (
    VoiLut,
    Window,
    decode_frame,
    default_voi,
    render,
    to_display,
)
from pacs_desktop.core.errors import (
    DicomReadError,
    PixelDataError,
    UnsupportedTransferSyntaxError,
)

ImageBuilder = Callable[..., Dataset]


def max_difference(actual: np.ndarray, expected: list[object]) -> int:
    return int(np.abs(actual.astype(int) - np.asarray(expected)).max())


def test_monochrome1_window_inverts(make_image: ImageBuilder) -> None:
    ds = make_image(
        [[0, 100], [2048, 4095]],
        photometric="MONOCHROME1",
        bits_stored=12,
        WindowCenter=2048,
        WindowWidth=4096,
    )
    frame = decode_frame(ds, 0)

    assert max_difference(to_display(frame), [[255, 249], [127, 0]]) <= 1


def test_monochrome1_after_window_reset(make_image: ImageBuilder) -> None:
    ds = make_image(
        [[0, 100], [2048, 4095]],
        photometric="MONOCHROME1",
        bits_stored=12,
        WindowCenter=2048,
        WindowWidth=4096,
    )
    frame = decode_frame(ds, 0)
    changed = to_display(frame, Window(100.0, 50.0))
    restored = to_display(frame, default_voi(frame))

    assert max_difference(changed, [[255, 125], [0, 0]]) <= 1
    assert max_difference(restored, [[255, 249], [127, 0]]) <= 1


def test_j2k_header_sign_wins() -> None:
    ds = pydicom.dcmread(get_testdata_file("J2K_pixelrep_mismatch.dcm"))

    assert decode_frame(ds, 0).modality[0, 0] == -2000


def voi_choice_image(make_image: ImageBuilder) -> Dataset:
    ds = make_image([[0, 1, 2, 3]], WindowCenter=[2, 1000], WindowWidth=[4, 500])
    item = Dataset()
    item.LUTDescriptor = [4, 0, 16]
    item.LUTData = [0, 100, 60000, 65535]
    item["LUTData"].VR = "US"
    ds.VOILUTSequence = Sequence([item])
    return ds


@pytest.mark.parametrize(
    ("voi_index", "expected"),
    [
        (None, [0, 85, 170, 255]),
        (1, [0, 85, 170, 255]),
        (2, [0, 0, 0, 0]),
        (3, [0, 0, 233, 255]),
    ],
)
def test_voi_choices_in_order(
    make_image: ImageBuilder, voi_index: int | None, expected: list[int]
) -> None:
    ds = voi_choice_image(make_image)

    display = render(ds, voi_index=voi_index)

    assert max_difference(display, [expected]) <= 1


def test_voi_choices_windows_first(make_image: ImageBuilder) -> None:
    frame = decode_frame(voi_choice_image(make_image), 0)

    kinds = [type(choice) for choice in frame.voi_choices]

    assert kinds == [Window, Window, VoiLut]


def test_voi_index_out_of_range(make_image: ImageBuilder) -> None:
    with pytest.raises(DicomReadError, match="no VOI choice 4"):
        render(voi_choice_image(make_image), voi_index=4)


def test_rescale_never_wraps(make_image: ImageBuilder) -> None:
    ds = make_image(
        [[0, 1024, 4095]], bits_stored=12, RescaleSlope=1, RescaleIntercept=-1024
    )

    values = decode_frame(ds, 0).modality

    assert values.tolist() == [[-1024, 0, 3071]]


def test_bits_above_bits_stored_masked(make_image: ImageBuilder) -> None:
    ds = make_image([[0xF000 | 5, 0x1000 | 4095]], bits_stored=12)

    assert decode_frame(ds, 0).modality.tolist() == [[5, 4095]]


@pytest.mark.parametrize(
    ("stored", "expected"),
    [(0x0000, 0), (0x07FF, 2047), (0x0800, -2048), (0x0FFF, -1), (0xF001, 1)],
)
def test_signed_12_bit_sign_extended(
    make_image: ImageBuilder, stored: int, expected: int
) -> None:
    ds = make_image([[stored]], bits_stored=12, signed=True)
    ds.PixelData = np.array([stored], dtype="<u2").tobytes()

    assert decode_frame(ds, 0).modality[0, 0] == expected


def test_modality_lut_sequence(make_image: ImageBuilder) -> None:
    ds = make_image([[0, 1, 2, 3, 9]])
    item = Dataset()
    item.LUTDescriptor = [4, 0, 16]
    item.LUTData = [10, 20, 30, 40]
    item["LUTData"].VR = "US"
    ds.ModalityLUTSequence = Sequence([item])

    assert decode_frame(ds, 0).modality.tolist() == [[10, 20, 30, 40, 40]]


@pytest.mark.parametrize(
    ("window", "values", "expected"),
    [
        (Window(0, 100, "LINEAR_EXACT"), [-50, 0, 50], [0, 128, 255]),
        (Window(0, 100, "SIGMOID"), [-1000, 0, 25], [0, 128, 186]),
        (Window(0.5, 1), [-1, 0, 1], [0, 0, 255]),
        (Window(40, 400), [-160, 40, 239], [0, 128, 255]),
    ],
)
def test_voi_lut_functions(
    make_image: ImageBuilder,
    window: Window,
    values: list[int],
    expected: list[int],
) -> None:
    frame = decode_frame(make_image([values], signed=True), 0)

    assert max_difference(to_display(frame, window), [expected]) <= 1


def test_file_voi_lut_function_read(make_image: ImageBuilder) -> None:
    ds = make_image([[0]], WindowCenter=0, WindowWidth=100, VOILUTFunction="SIGMOID")

    assert default_voi(decode_frame(ds, 0)) == Window(0, 100, "SIGMOID")


def test_full_range_default(make_image: ImageBuilder) -> None:
    frame = decode_frame(make_image([[0, 50, 100]]), 0)

    assert to_display(frame).tolist() == [[0, 128, 255]]


def test_presentation_lut_inverse(make_image: ImageBuilder) -> None:
    ds = make_image([[0, 100]], PresentationLUTShape="INVERSE")

    assert to_display(decode_frame(ds, 0)).tolist() == [[255, 0]]


def test_invert_undoes_monochrome1(make_image: ImageBuilder) -> None:
    frame = decode_frame(make_image([[0, 100]], photometric="MONOCHROME1"), 0)

    assert to_display(frame, invert=True).tolist() == [[0, 255]]


def test_window_rejects_zero_width() -> None:
    with pytest.raises(ValueError, match="width must be positive"):
        Window(40, 0)


def enhanced_ct(make_image: ImageBuilder, heights: list[float]) -> Dataset:
    pixels = np.array(heights, dtype=np.uint16).reshape(len(heights), 1, 1)
    ds = make_image(pixels, frames=len(heights))
    orientation = Dataset()
    orientation.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    shared = Dataset()
    shared.PlaneOrientationSequence = Sequence([orientation])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    per_frame = []
    for height in heights:
        position = Dataset()
        position.ImagePositionPatient = [0, 0, height]
        item = Dataset()
        item.PlanePositionSequence = Sequence([position])
        per_frame.append(item)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)
    return ds


def test_enhanced_frames_by_position(make_image: ImageBuilder) -> None:
    ds = enhanced_ct(make_image, [10, 0, 5])

    shown = [decode_frame(ds, index).modality[0, 0] for index in range(3)]

    assert shown == [0, 5, 10]


def test_enhanced_display_order(make_image: ImageBuilder) -> None:
    ds = enhanced_ct(make_image, [10, 0, 5])

    assert frame_display_order(ds) == [1, 2, 0]


def test_per_frame_rescale(make_image: ImageBuilder) -> None:
    ds = enhanced_ct(make_image, [10, 0, 5])
    for index, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
        transform = Dataset()
        transform.RescaleSlope = 1
        transform.RescaleIntercept = 100 * index
        item.PixelValueTransformationSequence = Sequence([transform])

    shown = [decode_frame(ds, index).modality[0, 0] for index in range(3)]

    assert shown == [100, 205, 10]


def test_frame_out_of_range(make_image: ImageBuilder) -> None:
    with pytest.raises(DicomReadError, match="has no frame 2"):
        render(make_image([[0]]), frame_number=2)


@pytest.mark.parametrize("planar", [0, 1])
def test_rgb_planar_configurations(make_image: ImageBuilder, planar: int) -> None:
    encoded = {0: bytes([255, 0, 0, 0, 255, 0]), 1: bytes([255, 0, 0, 255, 0, 0])}
    ds = make_image(
        np.zeros((1, 2, 3)),
        photometric="RGB",
        bits_allocated=8,
        samples=3,
        pixel_bytes=encoded[planar],
        PlanarConfiguration=planar,
    )

    frame = decode_frame(ds, 0)

    assert frame.modality.tolist() == [[[255, 0, 0], [0, 255, 0]]]


def test_ybr_full_converted(make_image: ImageBuilder) -> None:
    # Red (255, 0, 0) is Y=76, Cb=85, Cr=255 in YBR_FULL (PS3.3 C.7.6.3.1.2).
    ds = make_image(
        np.zeros((1, 1, 3)),
        photometric="YBR_FULL",
        bits_allocated=8,
        samples=3,
        pixel_bytes=bytes([76, 85, 255]),
    )

    assert max_difference(to_display(decode_frame(ds, 0)), [[[255, 0, 0]]]) <= 2


def test_ybr_full_422_jpeg_is_rgb() -> None:
    ds = pydicom.dcmread(get_testdata_file("SC_rgb_dcmtk_+eb+cy+s2.dcm"))

    assert max_difference(decode_frame(ds, 0).modality[0, 0], [254, 0, 0]) <= 8


def palette_image(make_image: ImageBuilder) -> Dataset:
    indices = np.array([[0, 1000, 65535]], dtype=np.uint16)
    ds = make_image(indices, photometric="PALETTE COLOR")
    ramp = np.arange(65536, dtype="<u2")
    for channel, table in (
        ("Red", ramp),
        ("Green", 65535 - ramp),
        ("Blue", np.zeros(65536, dtype="<u2")),
    ):
        setattr(ds, f"{channel}PaletteColorLookupTableDescriptor", [0, 0, 16])
        setattr(ds, f"{channel}PaletteColorLookupTableData", table.tobytes())
        ds[f"{channel}PaletteColorLookupTableData"].VR = "OW"
    return ds


def test_palette_16_bit_65536_entries(make_image: ImageBuilder) -> None:
    frame = decode_frame(palette_image(make_image), 0)

    assert frame.modality.tolist() == [[[0, 255, 0], [4, 251, 0], [255, 0, 0]]]


def test_palette_clamps_indices(make_image: ImageBuilder) -> None:
    ds = make_image([[0, 5, 9]], photometric="PALETTE COLOR", bits_allocated=8)
    for channel in ("Red", "Green", "Blue"):
        setattr(ds, f"{channel}PaletteColorLookupTableDescriptor", [3, 4, 8])
        keyword = f"{channel}PaletteColorLookupTableData"
        ds.add_new(tag_for_keyword(keyword), "US", [10, 20, 30])

    assert decode_frame(ds, 0).modality[..., 0].tolist() == [[10, 20, 30]]


def test_short_pixel_data_rejected(make_image: ImageBuilder) -> None:
    ds = make_image([[1, 2], [3, 4]], pixel_bytes=bytes(6))

    with pytest.raises(PixelDataError, match=r"contains 6 bytes .* need 8"):
        decode_frame(ds, 0, Path("short.dcm"))


def test_error_names_file(make_image: ImageBuilder) -> None:
    ds = make_image([[1, 2], [3, 4]], pixel_bytes=bytes(6))

    with pytest.raises(PixelDataError) as caught:
        decode_frame(ds, 0, Path("short.dcm"))

    assert caught.value.path == Path("short.dcm")


@pytest.mark.parametrize(
    ("uid", "reason"),
    [
        ("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
        ("1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.110"),
        ("1.2.3.4.5", "1.2.3.4.5"),
    ],
)
def test_unsupported_transfer_syntax(
    make_image: ImageBuilder, uid: str, reason: str
) -> None:
    ds = make_image([[0]])
    ds.file_meta.TransferSyntaxUID = UID(uid)

    with pytest.raises(UnsupportedTransferSyntaxError, match=r"video\.dcm: ") as caught:
        decode_frame(ds, 0, Path("video.dcm"))

    assert reason in str(caught.value)


def test_no_pixel_data(make_image: ImageBuilder) -> None:
    ds = make_image([[0]])
    del ds.PixelData

    with pytest.raises(PixelDataError, match="contains no Pixel Data") as caught:
        decode_frame(ds, 0, Path("plan.dcm"))

    assert "Secondary Capture Image Storage is an image" in str(caught.value)
    assert "not an image" not in str(caught.value)


def test_non_image_without_pixel_data() -> None:
    ds = pydicom.dcmread(get_testdata_file("test-SR.dcm"))

    with pytest.raises(PixelDataError, match="contains no Pixel Data") as caught:
        decode_frame(ds, 0, Path("report.dcm"))

    assert "(Comprehensive SR Storage) is not an image" in str(caught.value)


def test_render_window_and_voi_exclusive(make_image: ImageBuilder) -> None:
    with pytest.raises(ValueError, match="not both"):
        render(make_image([[0]]), window=Window(0, 10), voi_index=1)


def test_rgb_16_bit_scaled_to_8() -> None:
    wide = pydicom.dcmread(get_testdata_file("SC_rgb_rle_16bit_2frame.dcm"))
    narrow = pydicom.dcmread(get_testdata_file("SC_rgb_rle_2frame.dcm"))

    scaled = decode_frame(wide, 1).modality

    assert np.array_equal(scaled, decode_frame(narrow, 1).modality)
