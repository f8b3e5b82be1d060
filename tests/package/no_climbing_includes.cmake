# Layering, the part a compiler cannot see: an include root that is a directory of the source
# tree (include/, or ecosim/ through its symlink) lets `#include <colsnap/../../src/x.hpp>` or
# `<ecosim/../src/x.hpp>` reach the internals. This scan refuses, in ecosim/, apps/ and bench/,
# any #include that names src/ or climbs out of its include root: `..` inside <...>, or more
# than one `..` in "..." (apps/ may reach its sibling apps/common/ with one).
# Run: cmake -DROOT=<source dir> -P no_climbing_includes.cmake
set(bad "")
foreach(dir ecosim apps bench)
  file(GLOB_RECURSE sources "${ROOT}/${dir}/*.cpp" "${ROOT}/${dir}/*.hpp" "${ROOT}/${dir}/*.h")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS includes)
      if(line MATCHES "<[^>]*\\.\\.[^>]*>" OR line MATCHES "\"[^\"]*\\.\\./[^\"]*\\.\\./"
         OR line MATCHES "[<\"/]src/")
        file(RELATIVE_PATH rel "${ROOT}" "${source}")
        string(APPEND bad "  ${rel}: ${line}\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "includes that reach past the public headers:\n${bad}")
endif()
message(STATUS "no include in ecosim/, apps/ or bench/ reaches src/ or climbs out of its root")
