include_guard(GLOBAL)
# gomap_add_test(<name> SOURCES <files...> [LABELS <labels...>] [LIBS <libs...>]
#                [TIMEOUT <seconds>])
# One GoogleTest executable, registered as one CTest test.  Label `tsan` marks a
# test the `tsan` preset runs (every concurrent component must carry it).
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
endfunction()
