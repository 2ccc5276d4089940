#pragma once
// Reading a spreadsheet an office kept (CSV, or the first sheet of an XLSX workbook) into rows of
// text cells, for the legacy import (app/legacy_import.h). XLSX is read with Poco::Zip; shared
// strings and inline strings are resolved, a date cell is left as the serial number it holds.
#include <string>

#include "app/legacy_import.h"
#include "base/status.h"

namespace ogi::reports {

// CSV (RFC 4180 quoting, an optional UTF-8 BOM) unless the bytes are a ZIP (XLSX).
Result<Sheet> read_table(const std::string& bytes);

}  // namespace ogi::reports
