suppressMessages({library(MASS); library(tseries)}); data(bev, NelPlo, USeconomic, nino, tcm, ice.river, package = "tseries")
# Writes the R-package half of the seventh suite into this folder (run from it): Rscript export.R
# Needs R with the forecast suite's packages and MASS, tseries, jsonlite (Debian: r-cran-mass r-cran-tseries r-cran-jsonlite).
out <- "."
man <- list()
add <- function(name, y, kind, m, h, test, note, source, tlab = NULL) {
  y <- as.numeric(y)
  if (is.null(tlab)) tlab <- seq_along(y)
  write.csv(data.frame(t = tlab, value = y), file.path(out, paste0(name, ".csv")), row.names = FALSE, quote = FALSE, na = "NA")
  n <- length(y); ntr <- n - test
  man[[length(man) + 1]] <<- list(name = name, file = paste0(name, ".csv"), kind = kind, m = m, horizon = h, test = test,
    n = n, n_train = ntr, origins = test - h + 1, na = sum(is.na(y)), na_train = sum(is.na(y[1:ntr])), r_frequency = m,
    source = source, note = note)
}
tl <- function(x) as.character(round(time(x), 3))
add("Nile", Nile, "yearly", 1, 6, 18, "Nile flow, level shift 1898", "datasets", tl(Nile))
add("airmiles", airmiles, "yearly", 1, 4, 8, "US airline miles 1937-60, exponential growth, very short", "datasets", tl(airmiles))
add("sunspot_year", sunspot.year, "yearly", 1, 8, 24, "yearly sunspots, ~11y cycle", "datasets", tl(sunspot.year))
add("discoveries", discoveries, "yearly", 1, 6, 18, "yearly counts of great discoveries, small counts", "datasets", tl(discoveries))
tr <- window(treering, start = 1000)
add("treering", tr, "yearly", 1, 8, 24, "tree ring widths 1000-1979 (last 980 of 7980), noisy stationary", "datasets", tl(tr))
add("bev", bev, "yearly", 1, 8, 24, "Beveridge wheat price index 1500-1869", "tseries", tl(bev))
u <- na.omit(NelPlo[, "unemp"]); add("NelPlo_unemp", u, "yearly", 1, 6, 18, "US unemployment rate yearly (Nelson-Plosser, log)", "tseries", tl(u))
u <- na.omit(NelPlo[, "stock.prices"]); add("NelPlo_sp", u, "yearly", 1, 6, 18, "S&P stock price index yearly (log)", "tseries", tl(u))
add("freeny_y", freeny.y, "quarterly", 4, 8, 16, "quarterly revenue (log), short, trend", "datasets", tl(freeny.y))
add("USeconomic_rs", USeconomic[, "rs"], "quarterly", 4, 8, 24, "US short-term interest rate quarterly", "tseries", tl(USeconomic))
add("mdeaths", mdeaths, "monthly", 12, 12, 24, "UK male lung deaths monthly, short seasonal", "datasets", tl(mdeaths))
add("fdeaths", fdeaths, "monthly", 12, 12, 24, "UK female lung deaths monthly, short seasonal", "datasets", tl(fdeaths))
add("Seatbelts_front", Seatbelts[, "front"], "monthly", 12, 12, 36, "front seat casualties, law change 1983-02", "datasets", tl(Seatbelts))
add("nino3", nino[, "nino3"], "monthly", 12, 18, 54, "nino3 sea surface temperature monthly", "tseries", tl(nino))
add("tcm1y", tcm[, "tcm1y"], "monthly", 12, 18, 54, "1-year treasury rate monthly, random walk", "tseries", tl(tcm))
dax <- EuStockMarkets[, "DAX"]; add("DAX", dax, "daily", 1, 14, 42, "DAX closing, business days 1991-98", "datasets", seq_along(dax))
add("ice_flow_vat", ice.river[, "flow.vat"], "daily", 7, 14, 42, "Vatnsdalsa river flow daily 1972-74, annual cycle, spikes", "tseries", seq_len(nrow(ice.river)))
add("ice_temp", ice.river[, "temp"], "daily", 7, 14, 42, "daily temperature Hveravellir 1972-74, annual cycle", "tseries", seq_len(nrow(ice.river)))
add("beaver1", beaver1$temp, "10-minute", 1, 8, 24, "beaver body temperature every 10 min, short", "datasets", seq_len(nrow(beaver1)))
add("lh", lh, "10-minute", 1, 6, 12, "luteinizing hormone every 10 min, 48 values", "datasets", seq_along(lh))
add("geyser_waiting", geyser$waiting, "per-event", 1, 8, 24, "Old Faithful successive waiting times, alternating", "MASS", seq_len(nrow(geyser)))

writeLines(jsonlite::toJSON(man, auto_unbox = TRUE, pretty = TRUE), "manifest-r.json")
