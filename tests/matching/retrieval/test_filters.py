"""Hard filters: values normalised like records, flags checked."""

from __future__ import annotations

import pytest

from matching import JobFilters, ValidationError


def test_city_filters_are_normalised_like_records() -> None:
    assert JobFilters(cities=("上海市", "Shanghai", "杭州")).cities == ("上海", "上海", "杭州")


@pytest.mark.parametrize("name", ["require_degree", "exclude_applied", "key_sector"])
def test_filter_flags_must_be_booleans(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        JobFilters.from_dict({name: "no"})
    assert info.value.field == f"filters.{name}"
