from datetime import date

import pytest
from pydantic import ValidationError

from app.models.enums import Doelgroep, Leerroute
from app.rules import GemeenteSettings, add_months, modules_required, ontzorgen_eligible, termijn_end


def test_termijn_is_three_years_after_pip_plus_duo_extensions() -> None:
    assert termijn_end(date(2024, 3, 15)) == date(2027, 3, 15)
    assert termijn_end(date(2024, 3, 15), 6) == date(2027, 9, 15)
    assert termijn_end(None) is None


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)


def test_routes_and_ontzorgen_rules() -> None:
    assert modules_required(Leerroute.b1) == ("knm", "map", "pvt")
    assert "knm" not in modules_required(Leerroute.z)
    assert ontzorgen_eligible(Doelgroep.asielstatushouder)
    assert not ontzorgen_eligible(Doelgroep.gezinsmigrant)


def test_gemeente_settings_validate() -> None:
    assert GemeenteSettings().ontzorgen_months == 6
    with pytest.raises(ValidationError):
        GemeenteSettings.model_validate({"office_hours": {"mon": [{"opens": "17:00", "closes": "09:00"}]}})
    with pytest.raises(ValidationError):
        GemeenteSettings.model_validate({"office_hours": {"mon": [{"opens": "09:00", "closes": "13:00"},
                                                                   {"opens": "12:00", "closes": "16:00"}]}})
    with pytest.raises(ValidationError):
        GemeenteSettings.model_validate({"unknown_setting": 1})
    with pytest.raises(ValidationError):
        GemeenteSettings.model_validate({"office_hours": {"someday": []}})


def test_every_kind_of_emergency_number_has_a_translatable_label() -> None:
    """GemeenteSettings.emergency_numbers: each kind is said with the message utter_emergency_<kind>."""
    from typing import get_args

    from app.rules import EmergencyNumber
    from app.services.catalog import cached_sources

    kinds = set(get_args(EmergencyNumber.model_fields["kind"].annotation))
    labels = {key.removeprefix("utter_emergency_") for key in cached_sources() if key.startswith("utter_emergency_")}
    assert kinds and kinds == labels
    # A number is a number: free text (which would reach every language in Dutch) is refused.
    with pytest.raises(ValidationError):
        GemeenteSettings(emergency_numbers=[{"kind": "gp_post", "number": "bel de huisarts"}])
    with pytest.raises(ValidationError):
        GemeenteSettings(emergency_numbers=[{"kind": "police", "number": "112"}])
