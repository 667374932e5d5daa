# Fails the build when a core layer includes a layer above it, or includes Qt (core must build
# where there is no Qt). Run by core/CMakeLists.txt with cmake -P:
#   -DLAYER=model -DALLOWED="data;vsa" -DFILES="a.h;a.cpp" -DSTAMP=out.stamp
# "core/errors.h" and "core/runtime.h" (the base layer) may be included from every layer.
cmake_policy(SET CMP0057 NEW) # IN_LIST in script mode
separate_arguments(allowed NATIVE_COMMAND "${ALLOWED}")
separate_arguments(files NATIVE_COMMAND "${FILES}")
set(problems "")
foreach(file IN LISTS files)
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "#[ \t]*include[ \t]*\"core/([a-z_]+)/")
      set(included "${CMAKE_MATCH_1}")
      if(NOT included STREQUAL LAYER AND NOT included IN_LIST allowed)
        string(APPEND problems "\n  ${file}: ${line} (core/${LAYER} may include core/${LAYER}, ${ALLOWED})")
      endif()
    elseif(line MATCHES "#[ \t]*include[ \t]*[<\"](Q[A-Za-z]*|qcustomplot)")
      string(APPEND problems "\n  ${file}: ${line} (core never includes Qt)")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "core layering: an include runs against the chain base -> vsa, data -> model -> eval -> train, explore:${problems}")
endif()
file(WRITE "${STAMP}" "")
