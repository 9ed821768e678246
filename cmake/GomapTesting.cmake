include_guard(GLOBAL)
# gomap_add_test(<name> SOURCES <files...> [LABELS <labels...>] [LIBS <libs...>]
#                [TIMEOUT <seconds>])
# One GoogleTest executable, registered as one CTest test.  Label `tsan` marks a
# test the `tsan` preset runs (every concurrent component must carry it).
#
# gomap_tsan_tests builds exactly what the `tsan`-labelled tests run, so the
# tsan step of tools/test compiles no single-threaded suite it will not run
# (those are most of the compile time under a sanitizer).
if(NOT TARGET gomap_tsan_tests)
  add_custom_target(gomap_tsan_tests)
endif()
# gomap_tsan_target(<target>...): the `tsan` tests run these.
function(gomap_tsan_target)
  add_dependencies(gomap_tsan_tests ${ARGN})
endfunction()

function(gomap_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE gomap::gomap gomap_warnings GTest::gtest GTest::gtest_main
                                        ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
  if("tsan" IN_LIST T_LABELS)
    gomap_tsan_target(${name})
  endif()
endfunction()
