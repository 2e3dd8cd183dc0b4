import random

import pytest

from matcher.taxonomy.credit_code import (
    ALPHABET,
    KINDS,
    check_digit,
    is_valid,
    make,
    org_check_digit,
)

# The worked example printed in GB 32100-2015.
STANDARD_EXAMPLE = "91350100M000100Y43"


def test_standard_example_is_valid():
    assert is_valid(STANDARD_EXAMPLE)
    assert check_digit(STANDARD_EXAMPLE[:17]) == "3"
    assert org_check_digit(STANDARD_EXAMPLE[8:16]) == "4"


def test_alphabet_leaves_out_confusable_letters():
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_generated_codes_are_valid_and_carry_their_registration_type(kind):
    rng = random.Random(kind)
    authority, types = KINDS[kind]
    for _ in range(300):
        code = make(rng, "500112", kind)
        assert is_valid(code), code
        assert code[0] == authority and code[1] in types
        assert code[2:8] == "500112"


def test_companies_public_institutions_and_social_organisations_prefixes():
    rng = random.Random(7)
    assert make(rng, "500103", "company")[:2] == "91"
    assert make(rng, "500103", "public_institution")[:2] == "12"
    assert make(rng, "500103", "social_organisation")[:2] in {"51", "52", "53"}


def test_same_seed_same_code():
    assert make(random.Random(3), "500105") == make(random.Random(3), "500105")


def test_a_mutated_character_is_detected():
    rng = random.Random(11)
    for _ in range(200):
        code = make(rng, "500107")
        pos = rng.randrange(18)
        replacement = ALPHABET[(ALPHABET.index(code[pos]) + 1 + rng.randrange(30)) % 31]
        mutated = code[:pos] + replacement + code[pos + 1 :]
        assert not is_valid(mutated), (code, mutated)


def test_wrong_length_is_invalid():
    assert not is_valid(STANDARD_EXAMPLE[:17])
    assert not is_valid(STANDARD_EXAMPLE + "0")
    assert not is_valid("")


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_forbidden_letters_are_invalid(letter):
    code = STANDARD_EXAMPLE[:10] + letter + STANDARD_EXAMPLE[11:]
    assert not is_valid(code)
    with pytest.raises(ValueError):
        check_digit(code[:17])


def test_lowercase_is_invalid():
    assert not is_valid(STANDARD_EXAMPLE.lower())


def test_make_rejects_bad_arguments():
    rng = random.Random(0)
    with pytest.raises(ValueError, match="6-digit"):
        make(rng, "5001")
    with pytest.raises(ValueError, match="unknown kind"):
        make(rng, "500112", "shop")
    with pytest.raises(ValueError):
        check_digit("123")
