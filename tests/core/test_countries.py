"""What differs between the Netherlands and Belgium lives in one table
(core/countries.py); a municipality's country follows from its code."""

from buurtwacht.core.countries import BELGIUM, NETHERLANDS, country_of, is_municipality_code


def test_r_be_a_municipality_code_says_its_country():
    assert country_of("GM0014") is NETHERLANDS
    assert country_of("44021") is BELGIUM  # NIS code, Gent
    assert country_of("21004") is BELGIUM  # Brussel/Bruxelles
    assert country_of("") is NETHERLANDS  # the instance's default (settings.COUNTRY)
    assert is_municipality_code("44021") and is_municipality_code("GM0363")
    assert not is_municipality_code("4402") and not is_municipality_code("GM14")


def test_r_be_numbers_and_police_naming_per_country():
    assert (NETHERLANDS.emergency_number, NETHERLANDS.police_number) == ("112", "0900-8844")
    assert (BELGIUM.emergency_number, BELGIUM.police_number) == ("112", "101")
    assert BELGIUM.police_tel_link() == "tel:101"
    assert NETHERLANDS.police_tel_link() == "tel:09008844"
    assert BELGIUM.channel_label("0900-8844") == "101"  # the stored code, said the Belgian way
    assert NETHERLANDS.channel_label("0900-8844") == "0900-8844"
    assert str(BELGIUM.scheme_name) == "BIN" and NETHERLANDS.scheme_name == ""
