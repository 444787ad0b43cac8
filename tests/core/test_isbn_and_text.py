import unicodedata

from kiosk.core import isbn
from kiosk.core.text import canonical, fold


def test_isbn10_and_hyphenated_forms_normalise_to_the_same_isbn13():
    assert isbn.to_isbn13("0-306-40615-2") == "9780306406157"
    assert isbn.to_isbn13("ISBN 978-0-306-40615-7") == "9780306406157"
    assert isbn.to_isbn13("9780306406157") == "9780306406157"
    assert isbn.isbn13_to_10("9780306406157") == "0306406152"


def test_bad_check_digits_are_rejected_rather_than_guessed():
    assert isbn.to_isbn13("9780306406158") is None
    assert isbn.to_isbn13("0-306-40615-3") is None
    assert not isbn.is_valid_ean13("4006381333932")
    assert isbn.is_valid_ean13("4006381333931")


def test_isbn10_with_x_check_digit():
    assert isbn.is_valid_isbn10("080442957X")
    assert isbn.to_isbn13("0-8044-2957-x") == "9780804429573"


def test_979_isbns_have_no_isbn10():
    assert isbn.isbn13_to_10("9791234567896") is None


def test_folding_removes_tones_and_maps_d_with_stroke():
    assert fold("Đồng Tháp") == "dong thap"
    assert fold("DẾ MÈN") == "de men"
    assert fold(unicodedata.normalize("NFD", "Tràm Chim")) == "tram chim"


def test_old_and_new_tone_placement_have_one_canonical_form():
    assert canonical("Thuỷ") == canonical("Thủy")
    assert canonical("hoà bình") == canonical("HÒA BÌNH")
    assert canonical("khoẻ") == canonical("khỏe")
    assert canonical(unicodedata.normalize("NFD", "Hòa")) == canonical("hoà")
    assert canonical("hòa") != canonical("hóa")
