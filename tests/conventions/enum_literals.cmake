# Enums.NoLiteralInSql: no file under src/ writes the stored text of a row
# state, a role, a consent purpose or a de-identification stage in SQL
# ('queued', 'admin', 'human_review', 'redact', ...); code binds
# Sql(TaskState::kQueued), RoleName(...), PurposeName(...), StageName(...),
# so each text is written once, in its table. The names are read from the
# tables themselves (app/row_states.h, staff/staff.h, rights/subjects.h,
# pipeline/stages.h). Migrations are history and keep the texts they were
# written with.
# Run as: cmake -DSRC=<src dir> -P this.
cmake_minimum_required(VERSION 3.25)
set(tables app/row_states.h staff/staff.h rights/subjects.h pipeline/stages.h)
set(entries "")
foreach(table IN LISTS tables)
  file(STRINGS ${SRC}/${table} lines REGEX "\\{[A-Za-z]+::k[A-Za-z]+, \"[a-z_]+\"\\}")
  list(APPEND entries ${lines})
endforeach()
set(names "")
foreach(line IN LISTS entries)
  string(REGEX MATCHALL "::k[A-Za-z]+, \"[a-z_]+\"" pairs "${line}")
  foreach(pair IN LISTS pairs)
    string(REGEX REPLACE "^.*\"([a-z_]+)\"$" "\\1" name "${pair}")
    list(APPEND names ${name})
  endforeach()
endforeach()
list(REMOVE_DUPLICATES names)
list(LENGTH names count)
if(count LESS 25)
  message(FATAL_ERROR "read only ${count} names from ${tables}: has a table's format changed?")
endif()
list(JOIN names "|" alternatives)
file(GLOB_RECURSE files ${SRC}/*.cc ${SRC}/*.h)
set(violations "")
foreach(path IN LISTS files)
  file(RELATIVE_PATH rel ${SRC} ${path})
  if(rel STREQUAL "store/migrations.cc" OR rel IN_LIST tables)
    continue()
  endif()
  file(STRINGS ${path} lines REGEX "'(${alternatives})'")
  foreach(line IN LISTS lines)
    # Comments may name a state.
    if(line MATCHES "^[ \t]*//")
      continue()
    endif()
    list(APPEND violations "src/${rel}: ${line}")
  endforeach()
endforeach()
if(violations)
  list(JOIN violations "\n" text)
  message(FATAL_ERROR "a stored enum text written into SQL (bind it from ${tables}):\n${text}")
endif()
message(STATUS "no literal of the ${count} stored enum texts outside their tables and the migrations")
