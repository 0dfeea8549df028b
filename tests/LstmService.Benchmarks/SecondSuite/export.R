#!/usr/bin/env Rscript
# A second suite of real series that the forecast suite (../../../shared/datasets/forecast-suite) does not hold, from the
# data of Hyndman & Athanasopoulos' "Forecasting: principles and practice" (R package fpp2, 2nd edition; Australian Bureau
# of Statistics, US EIA, Google, AEMO and other sources): other sources and frequencies (weekly, daily, half-hourly), chosen
# for variety before any was forecast. Writes beside this script one CSV per series (t, value, then any covariates) and
# manifest.json in the forecast suite's format (season m, horizon, test length; covariates and those known in advance for
# the covariate benchmark), so the same commands run on it.
# Usage: git clone https://github.com/robjhyndman/fpp2-package /tmp/fpp2-package && Rscript export.R /tmp/fpp2-package/data
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
data <- commandArgs(trailingOnly = TRUE)[1]
get_data <- function(name) { e <- new.env(); load(file.path(data, paste0(name, ".rda")), envir = e); e[[name]] }
# name, series, kind, m (season for R's models and MASE), horizon, test length, note
S <- list(
  list("a10",          get_data("a10"),          "monthly",   12, 12, 36, "antidiabetic drug sales, multiplicative season growing"),
  list("h02",          get_data("h02"),          "monthly",   12, 12, 36, "corticosteroid drug sales, season with a January drop"),
  list("usmelec",      get_data("usmelec"),      "monthly",   12, 18, 54, "US net electricity generation, two peaks a year"),
  list("auscafe",      get_data("auscafe"),      "monthly",   12, 18, 54, "Australian cafe and restaurant spending"),
  list("elecequip",    get_data("elecequip"),    "monthly",   12, 12, 36, "electrical equipment orders index, cycle and 2008 fall"),
  list("debitcards",   get_data("debitcards"),   "monthly",   12, 12, 36, "Icelandic debit card use"),
  list("ausbeer",      get_data("ausbeer"),      "quarterly",  4,  8, 24, "Australian beer production, trend turning down"),
  list("qcement",      get_data("qcement"),      "quarterly",  4,  8, 24, "Australian cement production"),
  list("euretail",     get_data("euretail"),     "quarterly",  4,  8, 16, "euro-area retail index, 2008 turn"),
  list("austourists",  get_data("austourists"),  "quarterly",  4,  8, 16, "international tourist nights in Australia"),
  list("gasoline",     get_data("gasoline"),     "weekly",    52, 13, 39, "US finished motor gasoline supplied, weekly (52.18 a year)"),
  list("hyndsight",    get_data("hyndsight"),    "daily",      7, 14, 42, "daily page views of a blog, weekly season"),
  list("goog200",      get_data("goog200"),      "daily",      1, 14, 42, "Google closing price, 200 trading days"),
  list("livestock",    get_data("livestock"),    "yearly",     1,  6, 12, "sheep in Asia, short"),
  list("wmurders",     get_data("wmurders"),     "yearly",     1,  6, 16, "murders of women per 100,000 in the US"),
  list("marathon",     get_data("marathon"),     "yearly",     1,  8, 24, "Boston marathon winning times"),
  list("sunspotarea",  get_data("sunspotarea"),  "yearly",     1,  8, 24, "annual sunspot area, 11-year cycle"),
  list("oil",          get_data("oil"),          "yearly",     1,  6, 12, "Saudi Arabian oil production")
)
# name, frame, value column, covariates, known in advance, m, horizon, test, note
C <- list(
  list("elecdaily", as.data.frame(get_data("elecdaily")), "Demand", c("WorkDay", "Temperature"), c("WorkDay", "Temperature"), 7, 14, 42,
       "Victoria's daily electricity demand 2014 with working days and the day's maximum temperature (a weather forecast gives it)"),
  list("insurance", as.data.frame(get_data("insurance")), "Quotes", c("TV.advert"), c("TV.advert"), 12, 6, 12,
       "monthly insurance quotations with the TV advertising spend (planned in advance)"),
  list("uschange", as.data.frame(get_data("uschange")), "Consumption", c("Income", "Production", "Savings", "Unemployment"), character(0), 4, 8, 24,
       "quarterly % change of US consumption with income, production, savings and unemployment (known up to the origin only)"),
  list("elecdemand", as.data.frame(get_data("elecdemand")), "Demand", c("WorkDay", "Temperature"), c("WorkDay", "Temperature"), 48, 48, 144,
       "Victoria's half-hourly electricity demand 2014 (17,520 values) with working days and the temperature; no R baseline (a seasonal ARIMA of period 48 is out of reach)")
)
num <- function(x) ifelse(is.na(x), "", format(as.numeric(x), digits = 15, trim = TRUE, scientific = FALSE))
man <- list()
for (s in S) {
  x <- s[[2]]; file <- paste0(s[[1]], ".csv")
  writeLines(c("t,value", paste(seq_along(x), num(x), sep = ",")), file.path(here, file))
  n <- length(x)
  man[[length(man) + 1]] <- list(name = s[[1]], file = file, kind = s[[3]], m = s[[4]], horizon = s[[5]], test = s[[6]], n = n,
    n_train = n - s[[6]], origins = s[[6]] - s[[5]] + 1, na = sum(is.na(x)), r_frequency = frequency(x), source = "fpp2", note = s[[7]])
}
writeLines(jsonlite::toJSON(man, auto_unbox = TRUE, pretty = TRUE), file.path(here, "manifest.json"))
dir.create(file.path(here, "covariates"), showWarnings = FALSE)
cman <- list()
for (s in C) {
  d <- s[[2]]; file <- paste0(s[[1]], ".csv")
  out <- data.frame(t = seq_len(nrow(d)), value = d[[s[[3]]]])
  for (k in s[[4]]) out[[make.names(k)]] <- d[[k]]
  write.csv(out, file.path(here, "covariates", file), row.names = FALSE, na = "")
  cman[[length(cman) + 1]] <- list(name = s[[1]], file = file, m = s[[6]], horizon = s[[7]], test = s[[8]],
    covariates = I(make.names(s[[4]])), future = I(make.names(s[[5]])), n = nrow(d), note = s[[9]])
  if (nrow(d) > 10000) cman[[length(cman)]]$r_baseline <- FALSE  # R's seasonal ARIMA of period 48 on it does not finish here
}
writeLines(jsonlite::toJSON(cman, auto_unbox = TRUE, pretty = TRUE), file.path(here, "covariates", "manifest.json"))
cat(sprintf("%-12s m=%-3d h=%-3d test=%-4d n=%d\n", sapply(man, `[[`, "name"), sapply(man, `[[`, "m"), sapply(man, `[[`, "horizon"),
  sapply(man, `[[`, "test"), sapply(man, `[[`, "n")), sep = "")
cat("and", length(cman), "series with covariates in covariates/\n")
