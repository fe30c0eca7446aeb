"""The attribution every map, page and export carries (licences in data/README.md)."""

ATTRIBUTION = ("Borders, governorates, Euphrates: Natural Earth (public domain). Lakes: © OpenStreetMap "
               "contributors (ODbL) via geo-maps. Places: GeoNames (CC BY 4.0) and cited pages. "
               "Control data: controlmap contributors, sources per event.")
