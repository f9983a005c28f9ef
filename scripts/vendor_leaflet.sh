#!/usr/bin/env bash
# Reproduce the live view's vendored files from the npm registry, so the page needs no CDN at run time:
#   workers/web/static/vendor/leaflet/        Leaflet (map library), leaflet.js, leaflet.css, images/
#   workers/web/static/vendor/natural-earth/  country borders for the offline base map (Natural Earth via world-atlas)
# Needs npm and python3 (Debian: apt-get install npm). Run from anywhere; commit what it changes.
set -euo pipefail

VERSION="${LEAFLET_VERSION:-1.9.4}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/workers/web/static/vendor/leaflet"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "leaflet@$VERSION" >/dev/null
tar xzf "leaflet-$VERSION.tgz"

rm -rf "$DEST"
mkdir -p "$DEST/images"
# The minified build without its source map (the map only helps debugging Leaflet itself).
sed '/^\/\/# sourceMappingURL=/d' package/dist/leaflet.js >"$DEST/leaflet.js"
cp package/dist/leaflet.css "$DEST/leaflet.css"
cp package/dist/images/*.png "$DEST/images/"
cp package/LICENSE "$DEST/LICENSE"
echo "$VERSION" >"$DEST/VERSION"
echo "Leaflet $VERSION -> ${DEST#"$ROOT"/}"

# The offline base map's country outlines: Natural Earth 1:50m admin-0 boundaries (public domain), as TopoJSON in
# the npm package world-atlas (ISC), turned into GeoJSON for Syria and the countries around it.
ATLAS_VERSION="${WORLD_ATLAS_VERSION:-2.0.2}"
OUTLINES="$ROOT/workers/web/static/vendor/natural-earth"
cd "$WORK"
npm pack --silent "world-atlas@$ATLAS_VERSION" >/dev/null
mkdir atlas && tar xzf "world-atlas-$ATLAS_VERSION.tgz" -C atlas
rm -rf "$OUTLINES" && mkdir -p "$OUTLINES"
cp atlas/package/LICENSE "$OUTLINES/LICENSE.world-atlas"
python3 - atlas/package/countries-50m.json "$OUTLINES/countries.geojson" <<'PY'
import json
import sys

# Syria and its neighbours; anything else in the frame is drawn from these alone.
NAMES = {"Syria", "Lebanon", "Turkey", "Iraq", "Jordan", "Israel", "Palestine", "Cyprus", "N. Cyprus",
         "Saudi Arabia", "Egypt", "Iran"}
topo = json.load(open(sys.argv[1]))
(sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
arcs = []
for arc in topo["arcs"]:  # delta-encoded, quantized positions
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append([round(x * sx + tx, 3), round(y * sy + ty, 3)])
    arcs.append(points)

def ring(indexes):
    out = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out += points if not out else points[1:]
    return out

features = []
for geometry in topo["objects"]["countries"]["geometries"]:
    name = geometry.get("properties", {}).get("name")
    if name not in NAMES:
        continue
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    coords = [[ring(r) for r in polygon] for polygon in polygons]
    features.append({"type": "Feature", "properties": {"name": name},
                     "geometry": {"type": "MultiPolygon", "coordinates": coords}})
json.dump({"type": "FeatureCollection", "features": features}, open(sys.argv[2], "w"), separators=(",", ":"))
print(f"{len(features)} countries -> {sys.argv[2]}")
PY
cat >"$OUTLINES/README" <<TXT
countries.geojson: Natural Earth 1:50m admin-0 country boundaries (public domain, naturalearthdata.com), from the
npm package world-atlas@$ATLAS_VERSION (ISC, LICENSE.world-atlas); Syria and its neighbours only, made by
scripts/vendor_leaflet.sh.
TXT
