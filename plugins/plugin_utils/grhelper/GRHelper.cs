// scada.redundancy GRAccess helper: reads one JSON request on stdin, writes one JSON document
// on stdout.
//
// GRAccess is a 32-bit, apartment-threaded COM component that PowerShell cannot drive, so the
// collection compiles this file on the Galaxy Repository node with the .NET Framework's own
// compiler and runs it there:
//
//   csc.exe /nologo /platform:x86 /target:exe /r:<ArchestrA.GRAccess.dll>
//           /r:System.Web.Extensions.dll /out:GRHelper.exe GRHelper.cs
//
// C# 5 only (csc.exe of .NET Framework 4.x): no $"...", no ?., no nameof, no => members.
//
// Request keys: "command", "galaxy", "gr_node" (default: this computer), "user", "password"
// (default: empty, for a galaxy without security). Credentials come from stdin only and are
// never written out. Per command:
//
//   galaxy_info   the galaxy's version and whether it must be migrated (UpgradeRequired);
//                 logs in only when no migration is required
//   query         "names" (QueryObjectsByName) or "conditions": [{"type": EConditionType
//                 member, "value", "kind"}]; default: instances based on "platform_template"
//                 ($WinPlatform) and "engine_template" ($AppEngine). Each object: tagname,
//                 kind, host, deployment_status.
//   deploy        "objects" in order; "cascade" (true), "mode": "each" (IInstance.Deploy per
//                 object, in order) or "collection" (IgObjects.Deploy, no cascade flag);
//                 "action" (skipDeploy | redeployOriginal | deployChanges), "skip_if_undeployed",
//                 "deploy_on_scan" (true), "force_off_scan" (true),
//                 "mark_as_deployed_on_status_mismatch" (false), "continue_on_error" (false)
//   undeploy      "objects", "cascade" (true), "force_off_scan" (true),
//                 "mark_as_undeployed_on_failure" (false), "continue_on_error" (false)
//   upload        "objects": IInstance.Upload of their run-time changes
//   migrate       IGalaxy.MigrateGalaxy when UpgradeRequired; "login_before_migrate" (false)
//   backup        IGalaxy.Backup to "path" (a full file path; refused when it is a folder,
//                 whose contents GRAccess would delete), without a login; "backup_path"
//
// Output: {"command", "failed", "changed", "msg", "galaxy": {"name", "version_string",
// "version_number", "upgrade_required"}, "calls": [one entry per GRAccess call: "step",
// "object", "successful", "id", "text", "custom_message"], "results": [per object:
// "object", "successful", "id", "text", "custom_message"], "objects": [...], "category"}.
// "changed" is true when a deploy/undeploy/upload/migrate call succeeded and could have
// changed something (a cascade always could); callers that need more query before and after.
//
// Exit codes: 0 done; 1 a GRAccess call reported a failure; 2 the request is invalid;
// 3 an unexpected exception (for example GRAccess not registered).
//
// GRAccess calls do not throw: after EVERY call the helper reads CommandResult (for a
// collection, CommandResults and its items 1..count) and records it in "calls".
//
// Not available through GRAccess, so not reported here (no documented member exists): whether
// a platform is in Software Upgrade Pending, and the software version installed on a node.
// The caller learns the node versions from the nodes (the installed product) and compares them
// with the galaxy's version from "galaxy_info".

using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Web.Script.Serialization;
using ArchestrA.GRAccess;

namespace ScadaRedundancy.GRHelper
{
    internal sealed class RequestError : Exception
    {
        public RequestError(string message) : base(message)
        {
        }
    }

    internal static class Program
    {
        public const int ExitOk = 0;
        public const int ExitFailed = 1;
        public const int ExitBadRequest = 2;
        public const int ExitException = 3;

        [STAThread]
        private static int Main()
        {
            Dictionary<string, object> output = new Dictionary<string, object>();
            output["failed"] = true;
            output["changed"] = false;
            int code;
            try
            {
                Request request = ReadRequest();
                code = new Helper(request, output).Run();
            }
            catch (RequestError e)
            {
                output["msg"] = e.Message;
                output["category"] = "invalid_request";
                code = ExitBadRequest;
            }
            catch (Exception e)
            {
                output["msg"] = e.GetType().FullName + ": " + e.Message;
                output["category"] = "exception";
                code = ExitException;
            }
            Write(output);
            return code;
        }

        private static Request ReadRequest()
        {
            string text;
            using (StreamReader reader = new StreamReader(Console.OpenStandardInput(),
                                                          new UTF8Encoding(false)))
            {
                text = reader.ReadToEnd();
            }
            object parsed;
            try
            {
                parsed = new JavaScriptSerializer().DeserializeObject(text);
            }
            catch (ArgumentException e)
            {
                throw new RequestError("the request is not valid JSON: " + e.Message);
            }
            catch (InvalidOperationException e)
            {
                throw new RequestError("the request is not valid JSON: " + e.Message);
            }
            Dictionary<string, object> map = parsed as Dictionary<string, object>;
            if (map == null)
            {
                throw new RequestError("the request must be one JSON object");
            }
            return new Request(map);
        }

        private static void Write(Dictionary<string, object> output)
        {
            JavaScriptSerializer serializer = new JavaScriptSerializer();
            serializer.MaxJsonLength = int.MaxValue;
            byte[] bytes = new UTF8Encoding(false).GetBytes(serializer.Serialize(output) + "\r\n");
            using (Stream stdout = Console.OpenStandardOutput())
            {
                stdout.Write(bytes, 0, bytes.Length);
            }
        }
    }

    internal sealed class Request
    {
        private readonly Dictionary<string, object> data;

        public Request(Dictionary<string, object> data)
        {
            this.data = data;
        }

        public string Text(string key, string fallback)
        {
            object value;
            if (!data.TryGetValue(key, out value) || value == null)
            {
                return fallback;
            }
            string text = value as string;
            if (text == null)
            {
                throw new RequestError("'" + key + "' must be text");
            }
            return text;
        }

        public string RequiredText(string key)
        {
            string text = Text(key, null);
            if (string.IsNullOrEmpty(text))
            {
                throw new RequestError("'" + key + "' is required");
            }
            return text;
        }

        public bool Flag(string key, bool fallback)
        {
            object value;
            if (!data.TryGetValue(key, out value) || value == null)
            {
                return fallback;
            }
            if (!(value is bool))
            {
                throw new RequestError("'" + key + "' must be true or false");
            }
            return (bool)value;
        }

        public List<string> Names(string key)
        {
            List<string> names = new List<string>();
            foreach (object item in List(key))
            {
                string name = item as string;
                if (string.IsNullOrEmpty(name))
                {
                    throw new RequestError("'" + key + "' must list object names");
                }
                names.Add(name);
            }
            return names;
        }

        public List<Dictionary<string, object>> Maps(string key)
        {
            List<Dictionary<string, object>> maps = new List<Dictionary<string, object>>();
            foreach (object item in List(key))
            {
                Dictionary<string, object> map = item as Dictionary<string, object>;
                if (map == null)
                {
                    throw new RequestError("'" + key + "' must list objects");
                }
                maps.Add(map);
            }
            return maps;
        }

        public bool Has(string key)
        {
            return data.ContainsKey(key) && data[key] != null;
        }

        private IEnumerable List(string key)
        {
            object value;
            if (!data.TryGetValue(key, out value) || value == null)
            {
                return new object[0];
            }
            if (value is string || !(value is IEnumerable) || value is IDictionary)
            {
                throw new RequestError("'" + key + "' must be a list");
            }
            return (IEnumerable)value;
        }
    }

    internal sealed class Helper
    {
        private static readonly string[] Commands =
            { "galaxy_info", "query", "deploy", "undeploy", "upload", "migrate", "backup" };

        private readonly Request request;
        private readonly Dictionary<string, object> output;
        private readonly List<object> calls = new List<object>();
        private readonly List<object> results = new List<object>();
        private string grNode;
        private string galaxyName;
        private IGalaxy galaxy;

        public Helper(Request request, Dictionary<string, object> output)
        {
            this.request = request;
            this.output = output;
        }

        public int Run()
        {
            string command = request.RequiredText("command");
            if (Array.IndexOf(Commands, command) < 0)
            {
                throw new RequestError("unknown command '" + command + "'; expected one of "
                                       + string.Join(", ", Commands));
            }
            galaxyName = request.RequiredText("galaxy");
            grNode = request.Text("gr_node", Environment.MachineName);
            output["command"] = command;
            output["calls"] = calls;
            bool ok;
            switch (command)
            {
                case "galaxy_info":
                    ok = GalaxyInfo();
                    break;
                case "query":
                    ok = Query();
                    break;
                case "deploy":
                    ok = Deploy();
                    break;
                case "undeploy":
                    ok = Undeploy();
                    break;
                case "upload":
                    ok = Upload();
                    break;
                case "backup":
                    ok = Backup();
                    break;
                default:
                    ok = Migrate();
                    break;
            }
            output["failed"] = !ok;
            if (ok && !output.ContainsKey("msg"))
            {
                output["msg"] = command + " done";
            }
            return ok ? Program.ExitOk : Program.ExitFailed;
        }

        // -- commands ------------------------------------------------------------------------
        private bool GalaxyInfo()
        {
            if (!Connect(false))
            {
                return false;
            }
            if (galaxy.UpgradeRequired)
            {
                output["login"] = "skipped: the galaxy must be migrated first";
                return true;
            }
            if (!Login())
            {
                return false;
            }
            output["login"] = "ok";
            return true;
        }

        private bool Query()
        {
            List<string> names = request.Names("names");
            List<Dictionary<string, object>> conditions = request.Maps("conditions");
            if (!Connect(true))
            {
                return false;
            }
            List<object> found = new List<object>();
            Dictionary<string, bool> seen = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            if (names.Count > 0)
            {
                IgObjects objects = ByName(names);
                if (objects == null)
                {
                    return false;
                }
                Collect(objects, null, found, seen);
            }
            if (conditions.Count == 0 && names.Count == 0)
            {
                conditions.Add(Condition("basedOn", request.Text("platform_template", "$WinPlatform"), "platform"));
                conditions.Add(Condition("basedOn", request.Text("engine_template", "$AppEngine"), "engine"));
            }
            foreach (Dictionary<string, object> condition in conditions)
            {
                IgObjects objects = ByCondition(condition);
                if (objects == null)
                {
                    return false;
                }
                object kind;
                condition.TryGetValue("kind", out kind);
                Collect(objects, kind as string, found, seen);
            }
            output["objects"] = found;
            return true;
        }

        private bool Deploy()
        {
            List<string> names = RequiredObjects();
            bool cascade = request.Flag("cascade", true);
            string mode = request.Text("mode", "each");
            if (mode != "each" && mode != "collection")
            {
                throw new RequestError("'mode' must be each or collection");
            }
            if (mode == "collection" && cascade)
            {
                throw new RequestError("a collection deploys without a cascade flag: set cascade to false or mode to each");
            }
            EActionForCurrentlyDeployedObjects action = ParseAction(request.Text("action", "skipDeploy"));
            ESkipIfCurrentlyUndeployed skip = request.Flag("skip_if_undeployed", false)
                ? ESkipIfCurrentlyUndeployed.doSkipIfCurrentlyUndeployed
                : ESkipIfCurrentlyUndeployed.dontSkipIfCurrentlyUndeployed;
            EDeployOnScan onScan = request.Flag("deploy_on_scan", true)
                ? EDeployOnScan.doDeployOnScan : EDeployOnScan.dontDeployOnScan;
            EForceOffScan forceOffScan = ForceOffScan();
            bool markOnMismatch = request.Flag("mark_as_deployed_on_status_mismatch", false);
            bool continueOnError = request.Flag("continue_on_error", false);
            ECascade cascadeFlag = cascade ? ECascade.doCascade : ECascade.dontCascade;

            List<IInstance> instances;
            IgObjects collection;
            if (!Connect(true) || !Resolve(names, out instances, out collection))
            {
                return false;
            }
            Dictionary<string, string> before = Statuses(instances);
            bool ok = true;
            bool any = false;
            if (mode == "collection")
            {
                collection.Deploy(action, skip, onScan, forceOffScan, markOnMismatch);
                ok = CheckAll(collection, "Deploy");
                any = ok;
            }
            else
            {
                foreach (IInstance instance in instances)
                {
                    instance.Deploy(action, skip, onScan, forceOffScan, cascadeFlag, markOnMismatch);
                    bool done = CheckResult(instance.CommandResult, "Deploy", instance.Tagname);
                    any = any || done;
                    ok = ok && done;
                    if (!done && !continueOnError)
                    {
                        break;
                    }
                }
            }
            return Finish(names, before, ok, any && (cascade || action != EActionForCurrentlyDeployedObjects.skipDeploy));
        }

        private bool Undeploy()
        {
            List<string> names = RequiredObjects();
            bool cascade = request.Flag("cascade", true);
            EForceOffScan forceOffScan = ForceOffScan();
            bool markOnFailure = request.Flag("mark_as_undeployed_on_failure", false);
            bool continueOnError = request.Flag("continue_on_error", false);
            ECascade cascadeFlag = cascade ? ECascade.doCascade : ECascade.dontCascade;

            List<IInstance> instances;
            IgObjects collection;
            if (!Connect(true) || !Resolve(names, out instances, out collection))
            {
                return false;
            }
            Dictionary<string, string> before = Statuses(instances);
            bool ok = true;
            bool any = false;
            foreach (IInstance instance in instances)
            {
                instance.Undeploy(forceOffScan, cascadeFlag, markOnFailure);
                bool done = CheckResult(instance.CommandResult, "Undeploy", instance.Tagname);
                any = any || done;
                ok = ok && done;
                if (!done && !continueOnError)
                {
                    break;
                }
            }
            return Finish(names, before, ok, any && cascade);
        }

        private bool Upload()
        {
            List<string> names = RequiredObjects();
            List<IInstance> instances;
            IgObjects collection;
            if (!Connect(true) || !Resolve(names, out instances, out collection))
            {
                return false;
            }
            bool ok = true;
            foreach (IInstance instance in instances)
            {
                instance.Upload(EAutomaticallyUndocheckout.doAutomaticallyUndocheckout,
                                ESkipOtherUsersCheckedOutObjects.doSkipOtherUsersCheckedOutObjects,
                                ESkipObjectsWithPendingUpdates.doSkipObjectsWithPendingUpdates);
                bool done = CheckResult(instance.CommandResult, "Upload", instance.Tagname);
                output["changed"] = (bool)output["changed"] || done;
                ok = ok && done;
            }
            output["results"] = results;
            return ok;
        }

        private bool Migrate()
        {
            if (!Connect(request.Flag("login_before_migrate", false)))
            {
                return false;
            }
            if (!galaxy.UpgradeRequired)
            {
                output["msg"] = "galaxy '" + galaxyName + "' does not need a migration";
                return true;
            }
            galaxy.MigrateGalaxy(galaxyName, grNode);
            if (!CheckCall(galaxy.CommandResult, "MigrateGalaxy", galaxyName))
            {
                return Failed("migrating galaxy '" + galaxyName + "' failed");
            }
            output["changed"] = true;
            // read the migrated galaxy afresh, and prove it accepts a login now
            return Connect(true);
        }

        // The Backup method's page: ".cab" is appended to a name without extension, and a
        // folder name has its contents deleted, so only a full file path is accepted.
        private bool Backup()
        {
            string path = request.RequiredText("path");
            bool full = (path.Length > 2 && path[1] == ':' && path[2] == '\\') || path.StartsWith("\\\\");
            if (!full)
            {
                throw new RequestError("'path' must be a full path");
            }
            if (Directory.Exists(path))
            {
                throw new RequestError("'" + path + "' is a folder: GRAccess would delete its contents; name a backup file");
            }
            if (!Connect(false))
            {
                return false;
            }
            galaxy.Backup(Process.GetCurrentProcess().Id, path, grNode, galaxyName);
            if (!CheckCall(galaxy.CommandResult, "Backup", galaxyName))
            {
                return Failed("backing up galaxy '" + galaxyName + "' failed");
            }
            output["changed"] = true;
            output["backup_path"] = path;
            return true;
        }

        // -- GRAccess access -----------------------------------------------------------------
        private bool Connect(bool login)
        {
            GRAccessApp grAccess = new GRAccessAppClass();
            IGalaxies galaxies = grAccess.QueryGalaxies(grNode);
            if (!CheckCall(grAccess.CommandResult, "QueryGalaxies", grNode) || galaxies == null)
            {
                return Failed("no galaxies could be read from node '" + grNode + "'");
            }
            galaxy = null;
            try
            {
                galaxy = galaxies[galaxyName];
            }
            catch (Exception e)
            {
                output["lookup_error"] = e.Message;
            }
            if (galaxy == null)
            {
                return Failed("galaxy '" + galaxyName + "' does not exist on node '" + grNode + "'");
            }
            Dictionary<string, object> facts = new Dictionary<string, object>();
            facts["name"] = galaxyName;
            facts["version_string"] = galaxy.VersionString;
            facts["version_number"] = galaxy.VersionNumber;
            facts["upgrade_required"] = galaxy.UpgradeRequired;
            output["galaxy"] = facts;
            return !login || Login();
        }

        private bool Login()
        {
            galaxy.Login(request.Text("user", ""), request.Text("password", ""));
            if (!CheckCall(galaxy.CommandResult, "Login", galaxyName))
            {
                return Failed("login to galaxy '" + galaxyName + "' failed");
            }
            return true;
        }

        private IgObjects ByName(List<string> names)
        {
            string[] tagnames = names.ToArray();
            IgObjects objects = galaxy.QueryObjectsByName(EgObjectIsTemplateOrInstance.gObjectIsInstance,
                                                          ref tagnames);
            if (!CheckCall(galaxy.CommandResult, "QueryObjectsByName", string.Join(",", names))
                || objects == null)
            {
                Failed("querying " + string.Join(", ", names) + " failed");
                return null;
            }
            return objects;
        }

        private IgObjects ByCondition(Dictionary<string, object> condition)
        {
            object typeValue;
            object value;
            condition.TryGetValue("type", out typeValue);
            condition.TryGetValue("value", out value);
            string typeName = typeValue as string;
            if (typeName == null || !Enum.IsDefined(typeof(EConditionType), typeName) || value == null)
            {
                throw new RequestError("a condition needs a 'type' (an EConditionType member) and a 'value'");
            }
            EConditionType type = (EConditionType)Enum.Parse(typeof(EConditionType), typeName);
            if (type == EConditionType.deploymentStatusIs)
            {
                string status = value as string;
                if (status == null || !Enum.IsDefined(typeof(EDeploymentStatus), status))
                {
                    throw new RequestError("deploymentStatusIs needs an EDeploymentStatus member");
                }
                value = Enum.Parse(typeof(EDeploymentStatus), status);
            }
            IgObjects objects = galaxy.QueryObjects(EgObjectIsTemplateOrInstance.gObjectIsInstance,
                                                    type, value, EMatch.MatchCondition);
            if (!CheckCall(galaxy.CommandResult, "QueryObjects", typeName + " " + value) || objects == null)
            {
                Failed("query " + typeName + " '" + value + "' failed");
                return null;
            }
            return objects;
        }

        // The instances named, in the order asked for; a missing name is a failed result.
        private bool Resolve(List<string> names, out List<IInstance> instances, out IgObjects collection)
        {
            instances = new List<IInstance>();
            collection = ByName(names);
            if (collection == null)
            {
                return false;
            }
            Dictionary<string, IInstance> byName = new Dictionary<string, IInstance>(StringComparer.OrdinalIgnoreCase);
            for (int i = 1; i <= collection.count; i++)  // GRAccess collections are 1-based
            {
                IInstance instance = collection[i] as IInstance;
                if (instance != null)
                {
                    byName[instance.Tagname] = instance;
                }
            }
            bool ok = true;
            foreach (string name in names)
            {
                IInstance instance;
                if (byName.TryGetValue(name, out instance))
                {
                    instances.Add(instance);
                }
                else
                {
                    AddResult(name, false, "", "", "no instance named '" + name + "' in galaxy '" + galaxyName + "'");
                    ok = false;
                }
            }
            if (!ok)
            {
                output["results"] = results;
                return Failed("some objects do not exist in galaxy '" + galaxyName + "'");
            }
            return true;
        }

        private void Collect(IgObjects objects, string kind, List<object> found, Dictionary<string, bool> seen)
        {
            for (int i = 1; i <= objects.count; i++)
            {
                IInstance instance = objects[i] as IInstance;
                if (instance == null || seen.ContainsKey(instance.Tagname))
                {
                    continue;
                }
                seen[instance.Tagname] = true;
                found.Add(Describe(instance, kind));
            }
        }

        private static Dictionary<string, object> Describe(IInstance instance, string kind)
        {
            Dictionary<string, object> item = new Dictionary<string, object>();
            item["tagname"] = instance.Tagname;
            item["kind"] = kind;
            item["host"] = instance.Host;
            item["deployment_status"] = Convert.ToString(instance.DeploymentStatus);
            return item;
        }

        private Dictionary<string, string> Statuses(List<IInstance> instances)
        {
            Dictionary<string, string> statuses = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (IInstance instance in instances)
            {
                statuses[instance.Tagname] = Convert.ToString(instance.DeploymentStatus);
            }
            return statuses;
        }

        // Re-read the objects after a deploy or undeploy and report what changed.
        private bool Finish(List<string> names, Dictionary<string, string> before, bool ok, bool changed)
        {
            output["results"] = results;
            IgObjects after = ByName(names);
            if (after != null)
            {
                List<object> objects = new List<object>();
                for (int i = 1; i <= after.count; i++)
                {
                    IInstance instance = after[i] as IInstance;
                    if (instance == null)
                    {
                        continue;
                    }
                    Dictionary<string, object> item = Describe(instance, null);
                    string previous;
                    before.TryGetValue(instance.Tagname, out previous);
                    item["previous_status"] = previous;
                    changed = changed || previous != (string)item["deployment_status"];
                    objects.Add(item);
                }
                output["objects"] = objects;
            }
            output["changed"] = changed;
            if (!ok)
            {
                return Failed(null);
            }
            return after != null;
        }

        // -- results -------------------------------------------------------------------------
        // Record a call's CommandResult; false (and "msg") when it is missing or unsuccessful.
        private bool CheckCall(ICommandResult result, string step, string target)
        {
            Dictionary<string, object> entry = Entry(result);
            entry["step"] = step;
            entry["object"] = target;
            calls.Add(entry);
            bool ok = (bool)entry["successful"];
            if (!ok && !output.ContainsKey("msg"))
            {
                output["msg"] = step + " " + target + " failed: " + Reason(entry);
            }
            return ok;
        }

        // A per-object command: both a call and a result.
        private bool CheckResult(ICommandResult result, string step, string target)
        {
            bool ok = CheckCall(result, step, target);
            Dictionary<string, object> entry = Entry(result);
            AddResult(target, ok, (string)entry["id"], (string)entry["text"], (string)entry["custom_message"]);
            return ok;
        }

        // IgObjects.Deploy: CommandResults items 1..count, in the collection's order.
        private bool CheckAll(IgObjects collection, string step)
        {
            ICommandResults all = collection.CommandResults;
            if (all == null)
            {
                CheckCall(null, step, "collection");
                return false;
            }
            List<string> order = new List<string>();
            for (int i = 1; i <= collection.count; i++)
            {
                IInstance instance = collection[i] as IInstance;
                order.Add(instance == null ? "#" + i : instance.Tagname);
            }
            for (int i = 1; i <= all.count; i++)
            {
                CheckResult(all.get_Item(i), step, i <= order.Count ? order[i - 1] : "#" + i);
            }
            bool complete = all.CompletelySuccessful;
            Dictionary<string, object> summary = new Dictionary<string, object>();
            summary["step"] = step;
            summary["object"] = "collection";
            summary["successful"] = complete;
            summary["text"] = complete ? "CompletelySuccessful" : "not CompletelySuccessful";
            calls.Add(summary);
            if (!complete && !output.ContainsKey("msg"))
            {
                output["msg"] = step + " of the collection was not completely successful";
            }
            return complete;
        }

        private static Dictionary<string, object> Entry(ICommandResult result)
        {
            Dictionary<string, object> entry = new Dictionary<string, object>();
            if (result == null)
            {
                entry["successful"] = false;
                entry["id"] = "";
                entry["text"] = "GRAccess returned no CommandResult";
                entry["custom_message"] = "";
                return entry;
            }
            entry["successful"] = result.Successful;
            entry["id"] = Convert.ToString(result.ID);
            entry["text"] = result.Text ?? "";
            entry["custom_message"] = result.CustomMessage ?? "";
            return entry;
        }

        private void AddResult(string target, bool ok, string id, string text, string customMessage)
        {
            Dictionary<string, object> entry = new Dictionary<string, object>();
            entry["object"] = target;
            entry["successful"] = ok;
            entry["id"] = id;
            entry["text"] = text;
            entry["custom_message"] = customMessage;
            results.Add(entry);
        }

        private static string Reason(Dictionary<string, object> entry)
        {
            string text = (string)entry["text"];
            string custom = (string)entry["custom_message"];
            if (string.IsNullOrEmpty(custom))
            {
                return text;
            }
            return string.IsNullOrEmpty(text) ? custom : text + " (" + custom + ")";
        }

        private bool Failed(string message)
        {
            if (!output.ContainsKey("msg") && message != null)
            {
                output["msg"] = message;
            }
            if (!output.ContainsKey("msg"))
            {
                output["msg"] = "a GRAccess call failed";
            }
            output["category"] = "graccess";
            return false;
        }

        // -- request helpers -----------------------------------------------------------------
        private List<string> RequiredObjects()
        {
            List<string> names = request.Names("objects");
            if (names.Count == 0)
            {
                throw new RequestError("'objects' must name at least one object");
            }
            return names;
        }

        private EForceOffScan ForceOffScan()
        {
            return request.Flag("force_off_scan", true)
                ? EForceOffScan.doForceOffScan : EForceOffScan.dontForceOffScan;
        }

        private static EActionForCurrentlyDeployedObjects ParseAction(string name)
        {
            if (!Enum.IsDefined(typeof(EActionForCurrentlyDeployedObjects), name))
            {
                throw new RequestError("'action' must be skipDeploy, redeployOriginal or deployChanges");
            }
            return (EActionForCurrentlyDeployedObjects)Enum.Parse(typeof(EActionForCurrentlyDeployedObjects), name);
        }

        private static Dictionary<string, object> Condition(string type, string value, string kind)
        {
            Dictionary<string, object> condition = new Dictionary<string, object>();
            condition["type"] = type;
            condition["value"] = value;
            condition["kind"] = kind;
            return condition;
        }
    }
}
