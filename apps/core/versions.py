"""How a version is written everywhere in the portal: "V3". A regulation's version keeps the
label its owners gave it (they are written the same way: V1, V2...); a process, an approval
flow or a set of minutes, which count their versions, show the number as V<n>."""


def version_label(value) -> str:
    """version_label(3) == version_label(obj_with_number_3) == "V3"; an object with a `label`
    gives that label; None gives ""."""
    if value is None or value == "":
        return ""
    label = getattr(value, "label", None)
    if label:
        return str(label)
    number = getattr(value, "number", value)
    return f"V{number}"
