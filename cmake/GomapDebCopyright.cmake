# CPack pre-build script (GomapPackaging.cmake): in the staged Debian package,
# move <docdir>/LICENSE to /usr/share/doc/<package>/copyright, where Debian
# policy puts a package's license.
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
set(_root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_INSTALL_PREFIX}")
set(_license "${_root}/${CPACK_GOMAP_DOCDIR}/LICENSE")
if(NOT EXISTS "${_license}")
  message(FATAL_ERROR "GomapDebCopyright: ${_license} was not staged")
endif()
set(_docdir "${_root}/share/doc/${CPACK_DEBIAN_PACKAGE_NAME}")
file(MAKE_DIRECTORY "${_docdir}")
file(RENAME "${_license}" "${_docdir}/copyright")
file(GLOB _left "${_root}/${CPACK_GOMAP_DOCDIR}/*")
if(NOT _left AND NOT _docdir STREQUAL "${_root}/${CPACK_GOMAP_DOCDIR}")
  file(REMOVE_RECURSE "${_root}/${CPACK_GOMAP_DOCDIR}")
endif()
