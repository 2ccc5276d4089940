# Installation layout and the Debian 12 package (issue 6). Included at the end of the top-level
# CMakeLists.txt. Build the package from a configured and built tree:
#
#   cd build && cpack -G DEB        # → ogi-desk_<version>-1_<arch>.deb
#
# What the package installs (tests/ops/package_test.sh checks it):
#   /usr/bin/ogi                                   the program (stripped; migrations are compiled in)
#   /usr/share/ogi/workflow/lifecycle.wf           the workflow definition
#   /usr/share/ogi/workflow/calendar/YYYY.cal      the shipped working-day calendar years
#   /usr/share/ogi/templates/letters/*.mustache    letter templates
#   /usr/share/ogi/templates/ui/*.mustache, ui/static/   page templates, CSS and JS
#   /etc/ogi-desk/ogi.properties                   configuration (a conffile)
#   /lib/systemd/system/ogi-desk.service           the hardened unit (User=ogi)
#   /usr/share/doc/ogi-desk/README.md, examples/nginx/ogi-desk.conf
# and its maintainer scripts (deploy/debian/) create the `ogi` user and /var/lib/ogi-desk,
# run `ogi init`, and enable and start the service when systemd is running.
#
# The data directory is where the program looks when installed: data_dir() in
# src/cli/env.cpp resolves <dir of the executable>/../share/ogi/workflow (templates:
# workflow/../templates). Change both together.
#
# /etc/ogi-desk and /lib/systemd/system are absolute destinations: CPack's DEB generator stages
# them inside the package. A bare `cmake --install` writes them to the real /etc and /lib.

include(GNUInstallDirs)

set(OGI_PACKAGE_NAME ogi-desk)
set(OGI_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/ogi)  # must match data_dir() in src/cli/env.cpp
set(OGI_INSTALL_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/${OGI_PACKAGE_NAME})
set(OGI_DEPLOY_DIR ${CMAKE_CURRENT_LIST_DIR}/../deploy)
get_filename_component(OGI_DEPLOY_DIR ${OGI_DEPLOY_DIR} ABSOLUTE)
get_filename_component(OGI_TOP_DIR ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)

install(TARGETS ogi RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${OGI_TOP_DIR}/workflow/lifecycle.wf DESTINATION ${OGI_INSTALL_DATADIR}/workflow)
install(DIRECTORY ${OGI_TOP_DIR}/workflow/calendar/ DESTINATION ${OGI_INSTALL_DATADIR}/workflow/calendar
        FILES_MATCHING PATTERN "*.cal" PATTERN "festivals.tsv")
install(DIRECTORY ${OGI_TOP_DIR}/templates/letters ${OGI_TOP_DIR}/templates/ui
        DESTINATION ${OGI_INSTALL_DATADIR}/templates)
install(FILES ${OGI_DEPLOY_DIR}/ogi.properties DESTINATION /etc/${OGI_PACKAGE_NAME})
install(FILES ${OGI_DEPLOY_DIR}/systemd/ogi-desk.service DESTINATION /lib/systemd/system)
install(FILES ${OGI_DEPLOY_DIR}/README.md DESTINATION ${OGI_INSTALL_DOCDIR})
install(FILES ${OGI_DEPLOY_DIR}/nginx/ogi-desk.conf DESTINATION ${OGI_INSTALL_DOCDIR}/examples/nginx)

# CPack: a single Debian package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${OGI_PACKAGE_NAME})
set(CPACK_PACKAGE_VENDOR "OGI Desk")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(OGI_PACKAGE_MAINTAINER "OGI Desk maintainers <maintainers@users.noreply.b-seed-2b813322.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT ${OGI_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "case management for government information disclosure requests")
set(CPACK_PACKAGE_DESCRIPTION
    "OGI Desk handles applications for the disclosure of government information under the
2019 Regulation on Open Government Information of the People's Republic of China:
registration, the statutory clock on the official working-day calendar, the case
lifecycle, letters (DOCX and print HTML), the annual report tables, audit trail
and backups.
.
This package installs the `ogi` program, its workflow, calendar and templates, and
the ogi-desk systemd service, which serves the staff web UI and the JSON API on
127.0.0.1:8080 for a TLS reverse proxy (an nginx example is in
/usr/share/doc/ogi-desk/examples). The database lives in /var/lib/ogi-desk.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries (Poco, SQLite, OpenSSL, libxlsxwriter, libstdc++ …) found by dpkg-shlibdeps
# and appended to these; adduser and init-system-helpers are used by the maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx, sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${OGI_DEPLOY_DIR}/debian/conffiles;${OGI_DEPLOY_DIR}/debian/postinst;${OGI_DEPLOY_DIR}/debian/prerm;${OGI_DEPLOY_DIR}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
