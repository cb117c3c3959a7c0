"""The one table of the verbs the twin models: verb name -> model (docs/agent-verbs.md).

A verb the collection ships but this table lacks is refused as unsupported; tests compare the
table with the shipped verb scripts, so neither can grow alone.
"""

from __future__ import annotations

from typing import Any, Callable

from . import file_ranges, site_tools, vendor_ctapi, vendor_graphics_builder, vendor_setup, windows, zip_archives

VERBS: dict[str, Callable[..., Any]] = {
    # Windows
    "dir_create": windows.dir_create,
    "dir_create_private": windows.dir_create_private,
    "file_append": file_ranges.file_append,
    "file_copy": windows.file_copy,
    "file_hash": file_ranges.file_hash,
    "file_read_range": file_ranges.file_read_range,
    "file_read": windows.file_read,
    "file_wait": windows.file_wait,
    "file_write": windows.file_write,
    "folders_restore_previous": windows.folders_restore_previous,
    "folders_swap": windows.folders_swap,
    "file_write_atomic": windows.file_write_atomic,
    "host_facts": windows.host_facts,
    "path_move": windows.path_move,
    "path_remove": windows.path_remove,
    "path_test": windows.path_test,
    "registry_get": windows.registry_get,
    "registry_set": windows.registry_set,
    "registry_subkeys": windows.registry_subkeys,
    "service_control": windows.service_control,
    "service_list": windows.service_list,
    "service_set_start_type": windows.service_set_start_type,
    "service_wait": windows.service_wait,
    "tree_list": windows.tree_list,
    "volume_get": windows.volume_get,
    "wsman_get": windows.wsman_get,
    "zip_create": zip_archives.zip_create,
    "zip_extract": zip_archives.zip_extract,
    "zip_list": zip_archives.zip_list,
    # processes
    "process_get": windows.process_get,
    "process_run": site_tools.process_run,
    "process_wait": vendor_setup.process_wait,
    "reboot": vendor_setup.reboot,
    # Plant SCADA (Power Operation)
    "ctapi_cicode": vendor_ctapi.ctapi_cicode,
    "gb_compile": vendor_graphics_builder.gb_compile,
    "gb_projects": vendor_graphics_builder.gb_projects,
    # AVEVA System Platform setup
    "setup_runner_start": vendor_setup.setup_runner_start,
}
