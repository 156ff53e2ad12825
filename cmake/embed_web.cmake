# Build the web UI (web/, Vite) and embed its files in the binary, gzipped,
# with SHA-256 ETags, so that `rqwatch serve` needs nothing on disk but the
# executable. `npm ci` runs again only when web/package-lock.json changes.
# -DRQWATCH_WEB=OFF skips npm (no UI embedded; `web.assets_dir` still works).
option(RQWATCH_WEB "Build the web UI with npm and embed it in the binary" ON)

function(rqwatch_embed_web target)
    set(web ${PROJECT_SOURCE_DIR}/web)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/web_embedded.cpp)
    set(dist ${CMAKE_CURRENT_BINARY_DIR}/web-dist)
    set(gen ${PROJECT_SOURCE_DIR}/cmake/embed_web_gen.cmake)
    if(NOT RQWATCH_WEB)
        add_custom_command(
            OUTPUT ${out}
            COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DDIR= -P ${gen}
            DEPENDS ${gen}
            COMMENT "Embedding no web UI (RQWATCH_WEB=OFF)")
    else()
        find_program(RQWATCH_NPM npm REQUIRED)
        set(ci_stamp ${CMAKE_CURRENT_BINARY_DIR}/web-npm-ci.stamp)
        add_custom_command(
            OUTPUT ${ci_stamp}
            COMMAND ${RQWATCH_NPM} ci --no-audit --no-fund --loglevel=error
            COMMAND ${CMAKE_COMMAND} -E touch ${ci_stamp}
            WORKING_DIRECTORY ${web}
            DEPENDS ${web}/package-lock.json
            COMMENT "npm ci (web/package-lock.json changed)")
        file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS ${web}/src/*)
        set(build_stamp ${CMAKE_CURRENT_BINARY_DIR}/web-build.stamp)
        add_custom_command(
            OUTPUT ${build_stamp}
            COMMAND ${CMAKE_COMMAND} -E env RQWATCH_WEB_OUT=${dist} ${RQWATCH_NPM} run --silent build
            COMMAND ${CMAKE_COMMAND} -E touch ${build_stamp}
            WORKING_DIRECTORY ${web}
            DEPENDS ${ci_stamp} ${web_sources} ${web}/index.html ${web}/vite.config.ts
                    ${web}/tsconfig.json ${web}/package.json
            COMMENT "Building the web UI (npm run build)")
        add_custom_command(
            OUTPUT ${out}
            COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DDIR=${dist} -P ${gen}
            DEPENDS ${build_stamp} ${gen}
            COMMENT "Embedding the web UI")
    endif()
    add_library(${target} STATIC ${out})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()
