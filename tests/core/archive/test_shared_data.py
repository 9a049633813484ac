"""Import of the real sample images beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyQuery


@pytest.mark.shared_data
@pytest.mark.slow
def test_import_shared_data(archive: Archive, shared_data: Path) -> None:
    summary = archive.import_paths([shared_data])

    totalseg = [
        r for r in summary.rejected if r.path.parent.name == "ct_series_totalseg_20"
    ]
    ct = archive.find_studies(StudyQuery(modality="CT", patient_id="Pancreas*"))
    mr = archive.find_studies(StudyQuery(modality="MR", description="MR-BRAIN*"))
    assert len(totalseg) == 20
    assert all(
        "SOPClassUID (0008,0016), SOPInstanceUID (0008,0018), StudyInstanceUID "
        "(0020,000D), SeriesInstanceUID (0020,000E) are empty" in r.reason
        for r in totalseg
    )
    assert [s.NumberOfStudyRelatedInstances for s in ct] == [134]
    assert [s.NumberOfStudyRelatedInstances for s in mr] == [192]
    assert all(r.path.suffix != ".dcm" or r in totalseg for r in summary.rejected)
