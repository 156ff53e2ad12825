# Embed the SQL migration files into the binary so that `rqwatch migrate` needs
# nothing on disk but the executable. Generates migrations_embedded.cpp with one
# entry per migrations/<dialect>/NNNN_name.sql file.
function(rqwatch_embed_sql target dir)
    file(GLOB_RECURSE sql_files CONFIGURE_DEPENDS ${dir}/*.sql)
    list(SORT sql_files)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/migrations_embedded.cpp)
    add_custom_command(
        OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DDIR=${dir} -P ${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake
        DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake
        COMMENT "Embedding SQL migrations")
    target_sources(${target} PRIVATE ${out})
endfunction()
