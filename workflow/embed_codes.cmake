# Turns workflow/codes.tbl into a C++ function returning its text (build step of CMakeLists), so
# the code tables are data in the source tree and can never be missing at run time.
file(READ ${IN} text)
string(FIND "${text}" ")ogicodes\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )ogicodes\"")
endif()
file(WRITE ${OUT} "// Generated from workflow/codes.tbl by workflow/embed_codes.cmake. Do not edit.\n#include <string_view>\nnamespace ogi {\nstd::string_view embedded_code_tables() {\n  return R\"ogicodes(${text})ogicodes\";\n}\n}  // namespace ogi\n")
