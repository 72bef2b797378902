# Every third-party library comes from a Debian package; each is linked by
# exactly one module (see HACKING.md).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(simdjson REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(CURL REQUIRED)
find_package(Snappy REQUIRED)
# Abseil's flat hash tables: the builder's and the match figures' maps hold
# millions of entries, inline rather than a node each.
find_package(absl REQUIRED)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(THRIFT REQUIRED IMPORTED_TARGET thrift)
find_program(THRIFT_COMPILER thrift REQUIRED)
# Chart.js draws the report's charts: Debian's libjs-chart.js, whose UMD
# build the report reads at run time and inlines into its page. Where it is
# missing the build goes on, and the report command says what to install.
find_file(SPARKIFY_CHART_JS chart.min.js PATHS /usr/share/javascript/chart.js NO_DEFAULT_PATH
  DOC "Chart.js's UMD build (Debian: libjs-chart.js)")
set(SPARKIFY_CHART_JS_PATH ${SPARKIFY_CHART_JS})
if(NOT SPARKIFY_CHART_JS)
  set(SPARKIFY_CHART_JS_PATH /usr/share/javascript/chart.js/chart.min.js)
  message(WARNING "Chart.js not found (Debian: libjs-chart.js, scripts/install-deps.sh); "
    "the report command will look for it at ${SPARKIFY_CHART_JS_PATH}")
endif()
if(SPARKIFY_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
