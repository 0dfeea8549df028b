#!/usr/bin/env Rscript
# Writes the covariate suite beside this script: real series of R's datasets package that come with covariates, one CSV
# each (time, value, then the covariates) and manifest.json (season m, horizon, test length, the covariates and those of
# them known in advance). Usage: Rscript export.R
#   airquality: New York's daily ozone (May-September 1973, 37 days missing) with the day's temperature and wind speed,
#               which a weather forecast gives in advance.
#   BJsales:    Box & Jenkins' sales with their leading indicator (it leads by about three months; known up to the origin only).
#   Seatbelts:  front-seat casualties in Great Britain (monthly 1969-84) with the seat-belt law of February 1983 (known in
#               advance: legislation), the petrol price and the distance driven (known up to the origin only).
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
entry <- function(name, file, m, h, test, covariates, known, note, n) list(name = name, file = file, m = m, horizon = h, test = test,
  covariates = I(covariates), future = I(known), n = n, note = note)
aq <- datasets::airquality
time <- sprintf("1973-%02d-%02d", aq$Month, aq$Day)
write.csv(data.frame(time = time, value = aq$Ozone, Temp = aq$Temp, Wind = aq$Wind), file.path(here, "airquality.csv"), row.names = FALSE, na = "")
bj <- data.frame(time = seq_along(datasets::BJsales), value = as.numeric(datasets::BJsales), lead = as.numeric(datasets::BJsales.lead))
write.csv(bj, file.path(here, "BJsales.csv"), row.names = FALSE)
sb <- datasets::Seatbelts
months <- format(seq(as.Date("1969-01-01"), by = "month", length.out = nrow(sb)), "%Y-%m")
write.csv(data.frame(time = months, value = sb[, "front"], law = sb[, "law"], PetrolPrice = sb[, "PetrolPrice"], kms = sb[, "kms"]),
  file.path(here, "Seatbelts.csv"), row.names = FALSE)
man <- list(
  entry("airquality", "airquality.csv", 1, 7, 35, c("Temp", "Wind"), c("Temp", "Wind"), "daily ozone with temperature and wind", nrow(aq)),
  entry("BJsales", "BJsales.csv", 1, 8, 24, c("lead"), character(0), "sales with a leading indicator", nrow(bj)),
  entry("Seatbelts", "Seatbelts.csv", 12, 6, 12, c("law", "PetrolPrice", "kms"), c("law"), "front-seat casualties with the 1983 seat-belt law", nrow(sb)))
writeLines(jsonlite::toJSON(man, auto_unbox = TRUE, pretty = TRUE), file.path(here, "manifest.json"))
cat("wrote", length(man), "series to", here, "\n")
