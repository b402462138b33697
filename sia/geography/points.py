"""Place point locations in their LSOA, and so in their ward and place.

Partner files often give only where something happened: WGS84 longitude/latitude, or
British National Grid easting/northing (EPSG:27700, metres). :class:`PointLocator` puts
each point in one LSOA of a partnership's district, using the LSOA boundaries shipped in
``sia/data/boundaries`` (LSOA 2021 where shipped, otherwise LSOA 2011), and reports the
points that fall outside the district, which callers skip.

>>> from sia.config import load_partnership
>>> locator = PointLocator.for_partnership(load_partnership("kirklees"))
>>> locator.vintage, len(locator.codes)
(2021, 260)
>>> placed = locator.place_lonlat([-1.7850, -1.5491], [53.6458, 53.8008])
>>> placed.lsoa_code.tolist(), placed.place.tolist(), placed.outside
(['E01011107', None], ['Huddersfield', None], 1)

The second point is in Leeds city centre, outside Kirklees.

How a point is placed
---------------------
Points are matched to polygons with a :class:`shapely.STRtree` of the LSOA polygons: the
tree gives, for every point, the polygons whose bounding box holds it, and each candidate
is then checked exactly with :func:`shapely.intersects_xy` against the *prepared* polygon,
one vectorised call per polygon. A point on the boundary of an LSOA counts as inside it;
a point on the boundary shared by two LSOAs goes to the one with the lowest code, so the
answer never depends on the order of the boundary file. Points with a missing or
infinite coordinate, and points outside every LSOA of the district, get ``None``.

British National Grid coordinates are converted to WGS84 with :func:`bng_to_lonlat`,
which follows the Ordnance Survey's published formulae (no pyproj needed): inverse
Transverse Mercator on the Airy 1830 ellipsoid, then the published 7-parameter Helmert
transformation between WGS84 and OSGB36. The Helmert step is an approximation: the
Ordnance Survey puts its error at up to 3.5 m (95%), and about 5 m is the figure to
allow. Against the 265 LSOA centroids that ONS publishes in both systems, the largest
difference measured was 2.5 m. That is ample for placing points in LSOAs, but it is not
a survey-grade conversion (which needs the OSTN15 grid).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from sia.geography.boundaries import CODE_PROPERTY, shipped_boundaries
from sia.geography.errors import GeographyError

if TYPE_CHECKING:
    from sia.config.schema import Partnership
    from sia.geography import Geography

__all__ = [
    "AIRY_1830",
    "GRS80",
    "HELMERT_WGS84_TO_OSGB36",
    "NATIONAL_GRID",
    "PlacedPoints",
    "PointLocator",
    "bng_to_lonlat",
    "bng_to_osgb36",
    "lonlat_to_bng",
    "osgb36_to_bng",
]

# -- constants (Ordnance Survey, "A guide to coordinate systems in Great Britain") ----------

#: Airy 1830 ellipsoid of OSGB36, semi-major and semi-minor axes in metres.
AIRY_1830 = (6377563.396, 6356256.909)
#: GRS80 ellipsoid (WGS84 and ETRS89; WGS84's differs from it by 0.1 mm in b).
GRS80 = (6378137.0, 6356752.3141)

#: The National Grid Transverse Mercator projection of OSGB36: scale factor on the central
#: meridian F0, true origin (latitude, longitude, degrees), false origin (E0, N0, metres).
NATIONAL_GRID = {
    "F0": 0.9996012717,
    "lat0": 49.0,
    "lon0": -2.0,
    "E0": 400000.0,
    "N0": -100000.0,
}

#: The published Helmert transformation ETRS89 (taken as WGS84) -> OSGB36: translations in
#: metres, scale in parts per million, rotations in arc-seconds (position-vector
#: convention). The reverse direction, OSGB36 -> WGS84, is the exact inverse of this
#: transformation (the common shortcut of changing every sign differs from it by under
#: 5 mm in Great Britain; it gives tx=446.448, ty=-125.157, tz=542.060, s=-20.4894, rx=0.1502,
#: ry=0.2470, rz=0.8421).
HELMERT_WGS84_TO_OSGB36 = {
    "tx": -446.448,
    "ty": 125.157,
    "tz": -542.060,
    "s": 20.4894,
    "rx": -0.1502,
    "ry": -0.2470,
    "rz": -0.8421,
}

_ARCSEC = np.pi / (180.0 * 3600.0)
#: Rows of points located in one go: bounds the memory of the tree query.
_CHUNK = 1_000_000


# -- Transverse Mercator (Annex C of the guide) ---------------------------------------------


def _meridional_arc(phi: np.ndarray, b: float, f0: float, n: float, phi0: float) -> np.ndarray:
    """M, the developed meridional arc from ``phi0`` to ``phi`` (guide equation C3).

    The sines and cosines of 2x and 3x come from those of x by the multiple-angle
    identities (four trigonometric calls instead of six: this is the inner loop of
    :func:`bng_to_osgb36`).
    """
    d, s = phi - phi0, phi + phi0
    sd, cd, cs = np.sin(d), np.cos(d), np.cos(s)
    cs2 = cs * cs
    n2, n3 = n * n, n * n * n
    return (b * f0) * (
        (1 + n + 1.25 * n2 + 1.25 * n3) * d
        - (3 * n + 3 * n2 + 21 / 8 * n3) * sd * cs
        + (15 / 8 * n2 + 15 / 8 * n3) * (2 * sd * cd) * (2 * cs2 - 1)
        - 35 / 24 * n3 * (sd * (3 - 4 * sd * sd)) * (cs * (4 * cs2 - 3))
    )


def osgb36_to_bng(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Project OSGB36 longitude/latitude (Airy 1830, degrees) to National Grid metres.

    This is only the map projection, with no change of datum: use :func:`lonlat_to_bng`
    for GPS (WGS84) coordinates.

    Parameters
    ----------
    lon, lat : array_like
        OSGB36 longitude and latitude in decimal degrees (east and north positive).

    Returns
    -------
    easting, northing : numpy.ndarray
        National Grid coordinates in metres, as float64 arrays of the broadcast shape.

    Notes
    -----
    Transverse Mercator formulae C1-C9 of Annex C of Ordnance Survey, *A guide to
    coordinate systems in Great Britain* (D00659), with the National Grid constants of
    :data:`NATIONAL_GRID` and :data:`AIRY_1830`. The series are accurate to about 1 mm
    within Great Britain.

    Examples
    --------
    The guide's worked example, Caister water tower (52°39'27.2531"N, 1°43'4.5177"E):

    >>> e, n = osgb36_to_bng(1 + 43 / 60 + 4.5177 / 3600, 52 + 39 / 60 + 27.2531 / 3600)
    >>> print(f"{float(e):.3f} {float(n):.3f}")
    651409.903 313177.270
    """
    lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
    a, b = AIRY_1830
    g = NATIONAL_GRID
    f0, phi0, lam0 = g["F0"], np.radians(g["lat0"]), np.radians(g["lon0"])
    phi, lam = np.radians(lat), np.radians(lon)
    e2 = (a * a - b * b) / (a * a)
    n = (a - b) / (a + b)

    sin, cos = np.sin(phi), np.cos(phi)
    tan2 = np.tan(phi) ** 2
    w = 1 - e2 * sin * sin
    nu = a * f0 / np.sqrt(w)
    rho = nu * (1 - e2) / w
    eta2 = nu / rho - 1
    m = _meridional_arc(phi, b, f0, n, phi0)

    c1 = m + g["N0"]
    c2 = nu / 2 * sin * cos
    c3 = nu / 24 * sin * cos**3 * (5 - tan2 + 9 * eta2)
    c3a = nu / 720 * sin * cos**5 * (61 - 58 * tan2 + tan2 * tan2)
    c4 = nu * cos
    c5 = nu / 6 * cos**3 * (nu / rho - tan2)
    c6 = nu / 120 * cos**5 * (5 - 18 * tan2 + tan2 * tan2 + 14 * eta2 - 58 * tan2 * eta2)
    dl = lam - lam0
    northing = c1 + c2 * dl**2 + c3 * dl**4 + c3a * dl**6
    easting = g["E0"] + c4 * dl + c5 * dl**3 + c6 * dl**5
    return easting, northing


def bng_to_osgb36(easting, northing) -> tuple[np.ndarray, np.ndarray]:
    """Unproject National Grid metres to OSGB36 longitude/latitude (Airy 1830, degrees).

    The inverse of :func:`osgb36_to_bng`; no change of datum (see :func:`bng_to_lonlat`).

    Parameters
    ----------
    easting, northing : array_like
        National Grid coordinates in metres.

    Returns
    -------
    lon, lat : numpy.ndarray
        OSGB36 longitude and latitude in decimal degrees.

    Notes
    -----
    Inverse Transverse Mercator formulae C6-C11 of Annex C of Ordnance Survey, *A guide
    to coordinate systems in Great Britain* (D00659): the latitude is found by iterating
    on the meridional arc until it is within 0.01 mm, then corrected by the series.

    Examples
    --------
    >>> lon, lat = bng_to_osgb36(651409.903, 313177.270)
    >>> print(f"{float(lat):.8f} {float(lon):.8f}")
    52.65757030 1.71792158
    """
    easting, northing = np.broadcast_arrays(np.asarray(easting, float), np.asarray(northing, float))
    a, b = AIRY_1830
    g = NATIONAL_GRID
    f0, phi0, lam0 = g["F0"], np.radians(g["lat0"]), np.radians(g["lon0"])
    e2 = (a * a - b * b) / (a * a)
    n = (a - b) / (a + b)

    dn = northing - g["N0"]
    phi = dn / (a * f0) + phi0
    m = _meridional_arc(phi, b, f0, n, phi0)
    for _ in range(20):  # converges in 3-4 rounds anywhere in Great Britain
        phi = phi + (dn - m) / (a * f0)
        m = _meridional_arc(phi, b, f0, n, phi0)
        err = np.abs(dn - m)
        if not np.any(err >= 1e-5):  # also ends on all-NaN input
            break

    sin, cos = np.sin(phi), np.cos(phi)
    tan = np.tan(phi)
    tan2, sec = tan * tan, 1 / cos
    w = 1 - e2 * sin * sin
    nu = a * f0 / np.sqrt(w)
    rho = nu * (1 - e2) / w
    eta2 = nu / rho - 1

    c7 = tan / (2 * rho * nu)
    c8 = tan / (24 * rho * nu**3) * (5 + 3 * tan2 + eta2 - 9 * tan2 * eta2)
    c9 = tan / (720 * rho * nu**5) * (61 + 90 * tan2 + 45 * tan2 * tan2)
    c10 = sec / nu
    c11 = sec / (6 * nu**3) * (nu / rho + 2 * tan2)
    c12 = sec / (120 * nu**5) * (5 + 28 * tan2 + 24 * tan2 * tan2)
    c12a = sec / (5040 * nu**7) * (61 + 662 * tan2 + 1320 * tan2**2 + 720 * tan2**3)
    de = easting - g["E0"]
    lat = phi - c7 * de**2 + c8 * de**4 - c9 * de**6
    lon = lam0 + c10 * de - c11 * de**3 + c12 * de**5 - c12a * de**7
    return np.degrees(lon), np.degrees(lat)


# -- datum change (Annex B and the Helmert transformation of the guide) ----------------------


def _to_cartesian(lon, lat, h, ellipsoid):
    a, b = ellipsoid
    e2 = (a * a - b * b) / (a * a)
    phi, lam = np.radians(lat), np.radians(lon)
    sin = np.sin(phi)
    nu = a / np.sqrt(1 - e2 * sin * sin)
    return (
        (nu + h) * np.cos(phi) * np.cos(lam),
        (nu + h) * np.cos(phi) * np.sin(lam),
        ((1 - e2) * nu + h) * sin,
    )


def _from_cartesian(x, y, z, ellipsoid):
    """Longitude, latitude (degrees) and ellipsoidal height of cartesian x, y, z."""
    a, b = ellipsoid
    e2 = (a * a - b * b) / (a * a)
    p = np.hypot(x, y)
    # Bowring's (1976) closed form as the starting value: near the Earth's surface it
    # is already within 1e-11 rad, so the guide's iteration (B5, B6) confirms it in
    # one or two rounds.
    theta = np.arctan2(z * a, p * b)
    st, ct = np.sin(theta), np.cos(theta)
    phi = np.arctan2(z + (a * a - b * b) / b * st**3, p - e2 * a * ct**3)
    for _ in range(10):
        sin = np.sin(phi)
        nu = a / np.sqrt(1 - e2 * sin * sin)
        new = np.arctan2(z + e2 * nu * sin, p)
        done = not np.any(np.abs(new - phi) >= 1e-12)  # 1e-12 rad is 6 micrometres
        phi = new
        if done:
            break
    sin = np.sin(phi)
    nu = a / np.sqrt(1 - e2 * sin * sin)
    h = p / np.cos(phi) - nu
    return np.degrees(np.arctan2(y, x)), np.degrees(phi), h


def _helmert_matrix() -> tuple[np.ndarray, np.ndarray]:
    """Translation and 3x3 matrix of the WGS84 -> OSGB36 Helmert transformation."""
    p = HELMERT_WGS84_TO_OSGB36
    s = p["s"] * 1e-6
    rx, ry, rz = (p[k] * _ARCSEC for k in ("rx", "ry", "rz"))
    t = np.array([p["tx"], p["ty"], p["tz"]])
    m = np.array([[1 + s, -rz, ry], [rz, 1 + s, -rx], [-ry, rx, 1 + s]])
    return t, m


def _apply(m: np.ndarray, t: np.ndarray, x, y, z):
    return (
        t[0] + m[0, 0] * x + m[0, 1] * y + m[0, 2] * z,
        t[1] + m[1, 0] * x + m[1, 1] * y + m[1, 2] * z,
        t[2] + m[2, 0] * x + m[2, 1] * y + m[2, 2] * z,
    )


def _wgs84_to_osgb36(lon, lat):
    """OSGB36 longitude, latitude and height of WGS84 points at ellipsoidal height 0."""
    t, m = _helmert_matrix()
    x, y, z = _to_cartesian(lon, lat, 0.0, GRS80)
    return _from_cartesian(*_apply(m, t, x, y, z), AIRY_1830)


def _osgb36_to_wgs84(lon, lat):
    """WGS84 longitude and latitude of OSGB36 points, taken at WGS84 ellipsoidal height 0.

    A grid reference carries no height. The OSGB36 height is chosen so that the WGS84
    height comes out as 0, the height :func:`_wgs84_to_osgb36` assumes: this makes the
    two directions exact inverses. (Taking OSGB36 height 0 instead would move points by
    about 1 mm, and a height of 500 m by about 1.4 cm: far below the 5 m accuracy of the
    method.)
    """
    t, m = _helmert_matrix()
    inv = np.linalg.inv(m)
    shift = -inv @ t
    x, y, z = _to_cartesian(lon, lat, 0.0, AIRY_1830)
    _, _, wh = _from_cartesian(*_apply(inv, shift, x, y, z), GRS80)
    # WGS84 height follows OSGB36 height one for one, to a few parts per million: one
    # correction leaves about 1 mm of height, which moves the point by nanometres.
    x, y, z = _to_cartesian(lon, lat, -wh, AIRY_1830)
    wlon, wlat, _ = _from_cartesian(*_apply(inv, shift, x, y, z), GRS80)
    return wlon, wlat


# -- public conversions ---------------------------------------------------------------------


def lonlat_to_bng(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS84 longitude/latitude to British National Grid easting/northing.

    Parameters
    ----------
    lon, lat : array_like
        WGS84 (GPS) longitude and latitude in decimal degrees, taken at ellipsoidal height
        0; any shapes that broadcast together.

    Returns
    -------
    easting, northing : numpy.ndarray
        EPSG:27700 coordinates in metres (float64). Missing input gives NaN.

    Notes
    -----
    The Ordnance Survey's published method, from *A guide to coordinate systems in Great
    Britain* (Ordnance Survey, D00659): latitude/longitude to cartesian on GRS80
    (Annex B), the 7-parameter Helmert transformation ETRS89 -> OSGB36 of
    :data:`HELMERT_WGS84_TO_OSGB36` (WGS84 is taken as ETRS89, from which it now
    differs by about a metre), cartesian to latitude/longitude on Airy 1830 (Annex B), then the
    National Grid Transverse Mercator projection (Annex C, :func:`osgb36_to_bng`).

    Accuracy: the Helmert transformation is the guide's approximate method ("Approximate
    WGS84 to OSGB36/ODN transformation", section 6), whose error the guide puts at up
    to 3.5 m (95%) horizontally; allow about 5 m. The exact transformation is the OSTN15
    grid, not implemented here. Against the 265 LSOA centroids that ONS publishes in
    both systems (the shipped LSOA 2011 boundary files), the difference is at most
    about 2.5 m.
    :func:`bng_to_lonlat` is its exact inverse up to the truncation of the projection
    series: a round trip returns the input to within 0.4 mm across England and Wales
    (1.3 mm at the far north-west corner of the grid, 0.01 mm in the shipped districts).

    Examples
    --------
    The centroid of LSOA E01000001 (City of London 001A), which ONS publishes at
    longitude -0.09706, latitude 51.5181 and at E 532129, N 181625:

    >>> e, n = lonlat_to_bng(-0.09706, 51.5181)
    >>> print(f"{float(e):.1f} {float(n):.1f}")
    532131.0 181625.0

    2 m east of the published grid position: the accuracy of the Helmert method.
    """
    lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
    olon, olat, _ = _wgs84_to_osgb36(lon, lat)
    return osgb36_to_bng(olon, olat)


def bng_to_lonlat(easting, northing) -> tuple[np.ndarray, np.ndarray]:
    """Convert British National Grid easting/northing to WGS84 longitude/latitude.

    Parameters
    ----------
    easting, northing : array_like
        EPSG:27700 coordinates in metres; any shapes that broadcast together.

    Returns
    -------
    lon, lat : numpy.ndarray
        WGS84 longitude and latitude in decimal degrees (float64). Missing input gives
        NaN.

    Notes
    -----
    The reverse of :func:`lonlat_to_bng`, by the same published Ordnance Survey method
    (*A guide to coordinate systems in Great Britain*, D00659): inverse Transverse
    Mercator on Airy 1830 (Annex C, :func:`bng_to_osgb36`), then cartesian coordinates
    (Annex B) and the exact inverse of the Helmert transformation ETRS89 -> OSGB36, so
    that converting back and forth returns the input. Accurate to about 5 m (the
    Helmert method; see :func:`lonlat_to_bng`).

    Examples
    --------
    The centroid of LSOA E01000001 as ONS publishes it: E 532129, N 181625, and
    longitude -0.09706, latitude 51.5181 (about 2 m apart by this method):

    >>> lon, lat = bng_to_lonlat(532129, 181625)
    >>> print(f"{float(lon):.5f} {float(lat):.5f}")
    -0.09709 51.51810
    >>> e, n = lonlat_to_bng(lon, lat)  # and back, to a fraction of a millimetre
    >>> print(f"{float(e):.4f} {float(n):.4f}")
    532129.0000 181625.0000
    """
    olon, olat = bng_to_osgb36(easting, northing)
    return _osgb36_to_wgs84(olon, olat)


# -- placing points -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedPoints:
    """Where each point fell: one entry per input point, in input order.

    ``lsoa_code``, ``ward_code`` and ``place`` are object arrays holding ``None`` for a
    point outside the district (or without a usable location). ``ward_code`` and
    ``place`` are also ``None`` for an LSOA without a ward (none in the shipped data).
    """

    lsoa_code: np.ndarray
    ward_code: np.ndarray
    place: np.ndarray

    @property
    def inside(self) -> np.ndarray:
        """Boolean mask of the points placed in an LSOA of the district."""
        return np.not_equal(self.lsoa_code, None)

    @property
    def outside(self) -> int:
        """How many points are outside the district (or have no usable location)."""
        return int(np.count_nonzero(~self.inside))

    def __len__(self) -> int:
        return len(self.lsoa_code)

    def to_frame(self) -> pd.DataFrame:
        """A DataFrame with columns ``lsoa_code``, ``ward_code``, ``place``."""
        return pd.DataFrame(
            {"lsoa_code": self.lsoa_code, "ward_code": self.ward_code, "place": self.place},
            dtype=object,
        )


class PointLocator:
    """Places points in the LSOAs of one district (see the module docstring).

    Build it with :meth:`for_partnership` or :meth:`for_geography`; the constructor takes
    any polygons, for other uses and for tests.

    Parameters
    ----------
    codes : sequence of str
        One code per polygon; codes must be distinct.
    polygons : sequence of shapely Polygon or MultiPolygon
        In WGS84 longitude/latitude.
    vintage : int, optional
        The LSOA vintage of the codes (2011 or 2021), for information.
    areas : mapping, optional
        ``lsoa_code -> (ward_code, place)``, as :meth:`Geography.lsoa_index` gives it,
        used by :meth:`place_lonlat` and :meth:`place_bng`.
    """

    def __init__(
        self,
        codes: Sequence[str],
        polygons: Sequence[shapely.Geometry],
        *,
        vintage: int | None = None,
        areas: Mapping[str, tuple[str | None, str | None]] | None = None,
    ):
        codes = [str(c) for c in codes]
        if len(codes) != len(polygons):
            raise ValueError(f"{len(codes)} codes for {len(polygons)} polygons")
        if len(set(codes)) != len(codes):
            raise ValueError("polygon codes must be distinct")
        # Sorted by code, so that the lowest tree index is the lowest code: a point on a
        # shared boundary goes to the lowest code whatever the order of the input.
        order = sorted(range(len(codes)), key=codes.__getitem__)
        self._codes = np.array([codes[i] for i in order], dtype=object)
        self._polygons = np.array([polygons[i] for i in order], dtype=object)
        shapely.prepare(self._polygons)
        self._tree = shapely.STRtree(self._polygons)
        self._bounds = shapely.total_bounds(self._polygons) if len(codes) else None
        self._bng_bounds: tuple[float, float, float, float] | None = None  # made when needed
        self.vintage = vintage
        areas = dict(areas or {})
        no_area = (None, None)
        self._ward = np.array([areas.get(c, no_area)[0] for c in self._codes] + [None], object)
        self._place = np.array([areas.get(c, no_area)[1] for c in self._codes] + [None], object)
        self._code_or_none = np.append(self._codes, None)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def for_partnership(cls, partnership: Partnership, vintage: int | None = None):
        """The locator for ``partnership``'s district, from the shipped boundaries.

        ``vintage`` is 2021 or 2011; by default LSOA 2021 where its boundaries are
        shipped, otherwise LSOA 2011 (City of London ships only LSOA 2011). Raises
        :class:`GeographyError` as :meth:`Geography.for_partnership` does, or if the
        boundaries asked for are not shipped.
        """
        from sia.geography import Geography

        return cls.for_geography(Geography.for_partnership(partnership), vintage)

    @classmethod
    def for_geography(cls, geography: Geography, vintage: int | None = None) -> PointLocator:
        """The locator for an already built :class:`~sia.geography.Geography`.

        The LSOA codes of the boundary file must be exactly the district's LSOAs of that
        vintage in the shipped lookup, and every polygon must be valid; otherwise
        :class:`GeographyError` names each problem.
        """
        district = geography.district_code
        if vintage is None:
            vintage = 2021 if "lsoa21" in shipped_boundaries(district) else 2011
        if vintage not in (2011, 2021):
            raise GeographyError(f"unknown LSOA vintage {vintage!r}; choose 2011 or 2021")
        level = f"lsoa{vintage % 100}"
        codes, polygons = _read_boundaries(geography.boundary_path(level), CODE_PROPERTY[level])

        lsoas = geography.lsoas
        expected = set(lsoas.loc[lsoas["lsoa_vintage"] == vintage, "lsoa_code"])
        problems = [
            f"LSOA {c} is in the {level} boundary file but not in the lookup"
            for c in sorted(set(codes) - expected)
        ] + [
            f"LSOA {c} is in the lookup but has no polygon in the {level} boundary file"
            for c in sorted(expected - set(codes))
        ]
        problems += [
            f"the polygon of LSOA {c} in the {level} boundary file is not valid "
            f"({shapely.is_valid_reason(p)})"
            for c, p in zip(codes, polygons, strict=True)
            if not shapely.is_valid(p)
        ]
        if problems:
            raise GeographyError(
                f"the {level} boundaries of district {district} cannot be used to place points",
                problems,
            )
        return cls(codes, polygons, vintage=vintage, areas=geography.lsoa_index())

    # -- queries ---------------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        """The LSOA codes of the polygons, sorted."""
        return tuple(self._codes)

    def locate_lonlat(self, lon, lat) -> np.ndarray:
        """The LSOA code of each WGS84 point, or ``None`` outside the district.

        Parameters
        ----------
        lon, lat : array_like
            Longitude and latitude in decimal degrees; any shapes that broadcast together.
            NaN or infinite coordinates give ``None``.

        Returns
        -------
        numpy.ndarray
            Object array of the broadcast shape holding codes (str) or ``None``.

        Examples
        --------
        >>> from sia.config import load_partnership
        >>> city = PointLocator.for_partnership(load_partnership("city-of-london"))
        >>> city.locate_lonlat([-0.0977, -0.1415], [51.5155, 51.5014]).tolist()
        ['E01000001', None]
        """
        lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
        return self._code_or_none[self._index(lon.ravel(), lat.ravel())].reshape(lon.shape)

    def locate_bng(self, easting, northing) -> np.ndarray:
        """The LSOA code of each British National Grid point, or ``None`` outside.

        Points are converted with :func:`bng_to_lonlat` (accurate to about 5 m) and then
        placed as in :meth:`locate_lonlat`. Only points near the district are converted:
        those outside its bounding box in the grid, widened by 100 m, are ``None`` at
        once.

        Examples
        --------
        >>> from sia.config import load_partnership
        >>> city = PointLocator.for_partnership(load_partnership("city-of-london"))
        >>> city.locate_bng([532129, 529090], [181625, 179645]).tolist()
        ['E01000001', None]
        """
        return self._code_or_none[self._index_bng(easting, northing)]

    def place_lonlat(self, lon, lat) -> PlacedPoints:
        """LSOA, ward and place of each WGS84 point (see :meth:`locate_lonlat`)."""
        lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
        return self._placed(self._index(lon.ravel(), lat.ravel()))

    def place_bng(self, easting, northing) -> PlacedPoints:
        """LSOA, ward and place of each British National Grid point."""
        return self._placed(self._index_bng(easting, northing).ravel())

    def __repr__(self) -> str:
        return f"PointLocator({len(self._codes)} polygons, vintage={self.vintage})"

    # -- internals -------------------------------------------------------------------------
    def _placed(self, idx: np.ndarray) -> PlacedPoints:
        return PlacedPoints(
            lsoa_code=self._code_or_none[idx],
            ward_code=self._ward[idx],
            place=self._place[idx],
        )

    def _index_bng(self, easting, northing) -> np.ndarray:
        """:meth:`_index` for grid coordinates, in the broadcast shape of the input."""
        e, n = np.broadcast_arrays(np.asarray(easting, float), np.asarray(northing, float))
        out = np.full(e.shape, len(self._codes), dtype=np.intp)
        if self._bng_bounds is None and len(self._codes):
            xy = shapely.get_coordinates(self._polygons)
            ge, gn = lonlat_to_bng(xy[:, 0], xy[:, 1])
            # 100 m is far more than the bow of a straight lon/lat edge in the grid.
            self._bng_bounds = (ge.min() - 100, gn.min() - 100, ge.max() + 100, gn.max() + 100)
        if self._bng_bounds is not None:
            mine, minn, maxe, maxn = self._bng_bounds
            near = (e >= mine) & (e <= maxe) & (n >= minn) & (n <= maxn)
            lon, lat = bng_to_lonlat(e[near], n[near])
            out[near] = self._index(lon, lat)
        return out

    def _index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the polygon holding each point (lowest on ties); len(codes) if none."""
        none = len(self._codes)
        out = np.full(x.shape, none, dtype=np.intp)
        if none == 0 or x.size == 0:
            return out
        minx, miny, maxx, maxy = self._bounds
        # Only points in the district's bounding box become shapely points (this also
        # drops NaN and infinite coordinates).
        cand = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        for start in range(0, cand.size, _CHUNK):
            rows = cand[start : start + _CHUNK]
            out[rows] = self._index_chunk(x[rows], y[rows], none)
        return out

    def _index_chunk(self, x: np.ndarray, y: np.ndarray, none: int) -> np.ndarray:
        # 1. the tree gives the (point, polygon) pairs whose bounding boxes meet;
        pt, poly = self._tree.query(shapely.points(x, y))
        # 2. each pair is checked exactly, grouped by polygon so that each prepared
        #    polygon tests all its candidate points in one vectorised call;
        order = np.argsort(poly, kind="stable")
        pt, poly = pt[order], poly[order]
        cuts = np.searchsorted(poly, np.arange(none + 1))
        hit = np.zeros(pt.size, dtype=bool)
        for j in np.flatnonzero(np.diff(cuts)):
            s = slice(cuts[j], cuts[j + 1])
            hit[s] = shapely.intersects_xy(self._polygons[j], x[pt[s]], y[pt[s]])
        # 3. a point in several polygons (on a shared boundary) takes the lowest index.
        out = np.full(x.shape, none, dtype=np.intp)
        np.minimum.at(out, pt[hit], poly[hit])
        return out


@cache
def _boundaries(path: str, code_property: str) -> tuple[tuple[str, ...], tuple]:
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    codes = tuple(f["properties"][code_property] for f in features)
    polygons = tuple(shape(f["geometry"]) for f in features)
    return codes, polygons


def _read_boundaries(path: Path, code_property: str) -> tuple[list[str], list]:
    """Codes and shapely polygons of a shipped boundary file (parsed once per process)."""
    codes, polygons = _boundaries(str(path), code_property)
    return list(codes), list(polygons)
