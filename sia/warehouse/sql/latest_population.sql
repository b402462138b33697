-- The population of each area in the latest year the table has for it. $area_types lists
-- the area types wanted; $vintage, when not NULL, keeps only LSOAs of that vintage.
SELECT area_type, area_code, population
FROM population
WHERE list_contains($area_types, area_type)
  AND ($vintage IS NULL OR area_type <> 'lsoa' OR lsoa_vintage = $vintage)
QUALIFY row_number() OVER (PARTITION BY area_type, area_code ORDER BY year DESC) = 1
