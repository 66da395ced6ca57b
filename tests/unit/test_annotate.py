"""Pictures of a read: marks from an answer, what is drawn where, the upright MRZ crop."""

from __future__ import annotations

import contextlib

import pytest
from PIL import Image

from passport_ocr.tools import annotate
from passport_ocr.tools.annotate import (
    OUTLINE_COLOUR,
    REPAIR_COLOUR,
    CharMark,
    Marks,
    band_colour,
    draw_marks,
    label_box,
    marks_from,
    mrz_crop,
    read_as,
)
from passport_ocr.tools.pictures import (
    NOT_READ,
    READ_ELSEWHERE,
    RowPictures,
    Seen,
    picture_name,
    row_pictures,
)


def _square(left: float, top: float, size: float) -> annotate.Quad:
    return ((left, top), (left + size, top), (left + size, top + size), (left, top + size))


def _answer() -> dict[str, object]:
    """A local answer of two 3-character lines (the shape `EngineResult.to_answer` gives)."""
    return {
        "lines": [
            {"text": "P<U", "char_confidences": [0.99, 0.6, 0.3]},
            {"text": "L89", "char_confidences": [0.97, 0.9, 0.99]},
        ],
        "substitutions": [
            {"line": 0, "position": 2, "original": "0", "replacement": "U", "reason": "glyph"},
            {"line": 1, "position": 0, "original": "3", "replacement": "4", "reason": "length"},
        ],
        "geometry": {
            "image_size": [200, 100],
            "outline": [[10, 10], [190, 10], [190, 90], [10, 90]],
            "chars": [
                [[[x, 10], [x + 20, 10], [x + 20, 40], [x, 40]] for x in (10, 40, 70)],
                [[[x, 60], [x + 20, 60], [x + 20, 90], [x, 90]] for x in (10, 40, 70)],
            ],
        },
    }


def test_confidence_bands_follow_the_scale() -> None:
    assert band_colour(0.99) == annotate.CONFIDENCE_SCALE[0][2]
    assert band_colour(0.95) == annotate.CONFIDENCE_SCALE[0][2]
    assert band_colour(0.94) == annotate.CONFIDENCE_SCALE[1][2]
    assert band_colour(0.5) == annotate.CONFIDENCE_SCALE[2][2]
    assert band_colour(0.1) == annotate.CONFIDENCE_SCALE[3][2]


def test_read_as_takes_the_earliest_reading_and_ignores_length_changes() -> None:
    record = {
        "mrz": {
            "substitutions": [
                {"line": 0, "position": 2, "original": "O", "replacement": "U", "reason": "glyph"},
                {"line": 1, "position": 2, "original": "B", "replacement": "8", "reason": "glyph"},
            ]
        }
    }
    # (0, 2): the engine read 0, validation saw the engine's O: the picture says "read 0".
    assert read_as(_answer(), record) == {(0, 2): "0", (1, 2): "B"}


def test_marks_carry_each_character_confidence_and_repair() -> None:
    marks = marks_from(_answer())
    assert marks is not None
    assert marks.image_size == (200, 100)
    assert [round(char.confidence, 2) for char in marks.chars] == [0.99, 0.6, 0.3, 0.97, 0.9, 0.99]
    assert [char.read_as for char in marks.chars] == [None, None, "0", None, None, None]


def test_an_answer_without_geometry_has_no_marks() -> None:
    assert marks_from({"lines": [], "geometry": {}}) is None
    assert marks_from({"lines": [{"text": "P<U"}]}) is None  # a vendor's answer


def test_boxes_are_filled_by_confidence_repairs_and_outline_drawn() -> None:
    marks = marks_from(_answer())
    assert marks is not None
    picture = draw_marks(Image.new("RGB", (200, 100), "white"), marks)
    first, third = picture.getpixel((20, 25)), picture.getpixel((80, 30))
    assert isinstance(first, tuple) and isinstance(third, tuple)
    assert first[1] > first[0] and first[1] > first[2]  # 0.99: green
    assert third[0] > third[1] and third[0] > third[2]  # 0.3: red
    assert picture.getpixel((70, 25)) == REPAIR_COLOUR  # the repaired box's left edge
    assert picture.getpixel((120, 89)) == OUTLINE_COLOUR  # the MRZ's bottom edge
    assert picture.getpixel((150, 50)) == (255, 255, 255)  # nothing drawn between lines


def test_labels_of_neighbouring_repairs_are_stacked_not_overlapping() -> None:
    first = label_box(_square(100, 100, 20), (60, 12), [])
    second = label_box(_square(120, 100, 20), (60, 12), [first])
    assert first[3] <= 100  # above the character
    assert second[3] <= first[1]  # above the first label: they overlap along the line
    top = label_box(_square(100, 5, 20), (60, 12), [])
    assert top[1] == 0.0  # no room above: kept inside the picture


def test_the_crop_of_an_upside_down_mrz_reads_upright() -> None:
    # The MRZ as read upside down: its first character lies at the photo's bottom right.
    photo = Image.new("RGB", (400, 200), "white")
    photo.paste((0, 0, 0), (320, 110, 350, 140))  # the first character, as read
    outline = ((350.0, 150.0), (50.0, 150.0), (50.0, 100.0), (350.0, 100.0))
    first = ((350.0, 140.0), (320.0, 140.0), (320.0, 110.0), (350.0, 110.0))
    marks = Marks((400, 200), outline, (CharMark(first, 0.99),))
    crop = mrz_crop(photo, marks, width=300)
    width, height = crop.size

    def black(left: int, right: int) -> int:
        pixels = (crop.getpixel((x, y)) for x in range(left, right) for y in range(height))
        # Black: the character; the marks are light fills or bright colours.
        return sum(isinstance(pixel, tuple) and max(pixel) < 80 for pixel in pixels)

    assert black(0, width // 4) > 100  # the first character is at the crop's left ...
    assert black(width // 2, width) == 0  # ... and nothing of it on the right half
    assert width == 300 and height < width / 2


def test_picture_names_follow_the_inputs_and_never_collide() -> None:
    taken: set[str] = set()
    assert picture_name("scans/a.jpg", taken) == "a.png"
    assert picture_name("other/a.png", taken) == "a-2.png"
    assert picture_name("-", taken) == "stdin.png"


def test_a_vendor_read_gets_a_thumbnail_and_a_reason_instead_of_a_crop() -> None:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "gray").save(buffer, format="JPEG")
    pictures = row_pictures(Seen("huawei", buffer.getvalue()), None)
    assert pictures.crop is None and pictures.thumbnail is not None
    assert pictures.note is not None and "huawei gives no character positions" in pictures.note
    with Image.open(io.BytesIO(pictures.thumbnail)) as thumbnail:
        assert max(thumbnail.size) == 240
    assert row_pictures(None, None) == RowPictures(note=NOT_READ)  # refused by preflight
    by_url = row_pictures(Seen("tencent", None), None)
    assert by_url == RowPictures(note=READ_ELSEWHERE)


@pytest.mark.parametrize("side", [100, 3000])
def test_whole_photo_pictures_are_at_most_the_limit_with_a_legend(side: int) -> None:
    picture = annotate.annotated_photo(Image.new("RGB", (side, side // 2), "white"), None)
    assert picture.width == min(side, annotate.PHOTO_MAX_SIDE)
    assert picture.height > picture.width // 2  # the legend strip below the photo


class _Echo:
    """A provider answering each image with its own bytes' length (the inner provider of
    `SeenReads`, not the code under test)."""

    name = "local"
    accepts_url = False

    def __init__(self) -> None:
        from passport_ocr.vendors import VENDORS

        self.limits = VENDORS["local"].limits
        self.rate_limits: dict[str, float] = {}

    def can_fetch(self, ref: object) -> bool:
        return False

    def warm_up(self) -> None:
        return None

    def recognize(self, image: object, *, deadline: float | None = None) -> object:
        from passport_ocr.providers.base import VendorAnswer

        data = image.image.data  # type: ignore[attr-defined]
        if data == b"fail":
            raise RuntimeError("the vendor is down")
        return VendorAnswer(format="local", raw={"size": len(data)})


def test_seen_reads_keeps_each_threads_own_last_read_until_taken() -> None:
    import threading

    from passport_ocr.images import PreparedImage
    from passport_ocr.providers.base import ImageInput
    from passport_ocr.tools.pictures import SeenReads

    seen = SeenReads(_Echo())  # type: ignore[arg-type]
    taken: dict[bytes, object] = {}
    barrier = threading.Barrier(3)

    def read(data: bytes) -> None:
        barrier.wait()  # all three read at once
        with contextlib.suppress(RuntimeError):  # b"fail": the vendor is down
            seen.recognize(ImageInput(image=PreparedImage(data, "JPEG", 1, 1)))
        barrier.wait()  # ... and take only after every thread has read
        taken[data] = seen.take()

    threads = [threading.Thread(target=read, args=(data,)) for data in (b"a", b"bbb", b"fail")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert taken[b"a"] == Seen("local", b"a", {"size": 1})
    assert taken[b"bbb"] == Seen("local", b"bbb", {"size": 3})
    assert taken[b"fail"] == Seen("local", b"fail")  # the image, even without an answer
    assert seen.take() is None  # this thread never read


@pytest.mark.parametrize(
    ("top_left", "top_right", "turn"),
    [
        ((10, 50), (190, 52), 0),  # reads to the right (slightly tilted)
        ((150, 10), (150, 390), 90),  # runs down the photo
        ((190, 50), (10, 50), 180),  # upside down
        ((50, 390), (50, 10), 270),  # runs up the photo
    ],
)
def test_the_upright_turn_makes_the_mrz_read_left_to_right(
    top_left: tuple[float, float], top_right: tuple[float, float], turn: int
) -> None:
    outline = (top_left, top_right, top_right, top_left)
    marks = Marks((200, 400), outline, ())
    assert annotate.upright_turn(marks) == turn
    # Where the MRZ starts (a black block at its first corner) ends up on the left.
    photo = Image.new("RGB", (200, 400), "white")
    x, y = top_left
    photo.paste((0, 0, 0), (int(x) - 5, int(y) - 5, int(x) + 5, int(y) + 5))
    turned = photo.rotate(turn, expand=True)
    box = turned.convert("L").point(lambda value: 255 if value < 80 else 0).getbbox()
    assert box is not None and box[2] < turned.width / 2
