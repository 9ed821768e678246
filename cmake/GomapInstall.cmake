# `cmake --install` layout: headers under include/gomap/, the library, a
# gomap-config.cmake with version file (gomap::gomap), and gomap.pc.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/gomap ${PROJECT_SOURCE_DIR}/detect/include/gomap
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS gomap EXPORT gomap-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT gomap-targets NAMESPACE gomap:: FILE gomap-targets.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gomap)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gomap-config.cmake.in
                              ${PROJECT_BINARY_DIR}/gomap-config.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gomap)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gomap-config-version.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gomap-config.cmake ${PROJECT_BINARY_DIR}/gomap-config-version.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gomap)

install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

# gomap.pc is written at install time, for the prefix actually installed to
# (`cmake --install b --prefix p` and DESTDIR work; CPack stages with DESTDIR).
get_target_property(_gomap_extra_libs gomap GOMAP_PC_LIBS)
if(NOT _gomap_extra_libs)
  set(_gomap_extra_libs "")
endif()
set(GOMAP_PC_PREFIX "@GOMAP_PC_PREFIX@")  # left for the install step to fill in
configure_file(${PROJECT_SOURCE_DIR}/cmake/gomap.pc.in ${PROJECT_BINARY_DIR}/gomap.pc.in @ONLY)
install(CODE "
  set(GOMAP_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/gomap.pc.in\" \"${PROJECT_BINARY_DIR}/pc/gomap.pc\" @ONLY)
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"
       TYPE FILE FILES \"${PROJECT_BINARY_DIR}/pc/gomap.pc\")")
