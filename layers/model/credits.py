"""The attribution every map, page and export of the bundled data carries (licences in data/README.md)."""

ATTRIBUTION = ("Places: Who's On First (CC0) with GeoNames (CC BY 4.0). Districts, governorates, Aleppo "
               "neighbourhoods: after UN OCHA (CC BY 3.0 IGO). Border: Digital Chart of the World via gmt-dcw "
               "(LGPL-3+). Euphrates: Natural Earth (public domain). Lakes: © OpenStreetMap contributors (ODbL). "
               "Control data: controlmap contributors, sources per event.")


def attribution(meta: object) -> str:
    """A dataset's own attribution (dataset.yaml), or the bundled data's."""
    return str(getattr(meta, "attribution", "") or ATTRIBUTION)


def title(meta: object) -> str:
    return str(getattr(meta, "title", "") or "Control map")
