// A fake GRAccess for running the collection's GRAccess helper under mono in the tests.
//
// Compiled together with ArchestrA.GRAccess.cs and -define:GRACCESS_FAKE into an assembly of
// the same name, it replaces the compile-time stub next to GRHelper.exe. It answers from a JSON
// state file written from the twin's galaxy (tests/support/grstub.py) and named by the
// environment variable GRSTUB_STATE:
//
//   {"node": "GR", "galaxies": [{"name", "version_string", "version_number",
//     "upgrade_required", "target_version", "users": {"name": "password"} | null,
//     "objects": [{"tagname", "host", "templates": [...], "deployment_status",
//                  "runtime_changes"}],
//     "failures": [{"call": "Deploy", "object": "E1b", "text", "custom_message", "id"}]}]}
//
// Every call is appended to the JSON-lines file GRSTUB_LOG ({"call", "object", "args"}), so a
// test can replay what the helper asked for on the twin and compare. Changes (deploy status,
// migration) are written back to the state file. The semantics are deliberately simple: the
// twin's model holds the real rules; this only has to answer like GRAccess does (1-based
// collections, CommandResult after every call, no exceptions).

#if GRACCESS_FAKE
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Web.Script.Serialization;

namespace ArchestrA.GRAccess.Fake
{
    internal sealed class Result : ICommandResult
    {
        private readonly bool successful;
        private readonly string text;
        private readonly string customMessage;
        private readonly int id;

        public Result(bool successful, string text, string customMessage, int id)
        {
            this.successful = successful;
            this.text = text;
            this.customMessage = customMessage;
            this.id = id;
        }

        public static Result Ok()
        {
            return new Result(true, "Success", "", 0);
        }

        public static Result Fail(string text)
        {
            return new Result(false, text, "", 1);
        }

        public bool Successful { get { return successful; } }
        public string Text { get { return text; } }
        public string CustomMessage { get { return customMessage; } }
        public EGRCommandResult ID { get { return (EGRCommandResult)id; } }
    }

    internal sealed class Results : ICommandResults
    {
        private readonly List<ICommandResult> items;

        public Results(List<ICommandResult> items)
        {
            this.items = items;
        }

        public bool CompletelySuccessful
        {
            get
            {
                foreach (ICommandResult item in items)
                {
                    if (!item.Successful)
                    {
                        return false;
                    }
                }
                return true;
            }
        }

        public int count { get { return items.Count; } }

        public ICommandResult get_Item(int index)
        {
            return items[index - 1];
        }
    }

    // The state file and the call log.
    internal static class Store
    {
        private static Dictionary<string, object> state;

        public static Dictionary<string, object> State
        {
            get
            {
                if (state == null)
                {
                    string text = File.ReadAllText(Path(), Encoding.UTF8);
                    state = (Dictionary<string, object>)new JavaScriptSerializer().DeserializeObject(text);
                }
                return state;
            }
        }

        public static void Save()
        {
            JavaScriptSerializer serializer = new JavaScriptSerializer();
            serializer.MaxJsonLength = int.MaxValue;
            File.WriteAllText(Path(), serializer.Serialize(State), new UTF8Encoding(false));
        }

        public static void Log(string call, string target, Dictionary<string, object> args)
        {
            string log = Environment.GetEnvironmentVariable("GRSTUB_LOG");
            if (string.IsNullOrEmpty(log))
            {
                return;
            }
            Dictionary<string, object> entry = new Dictionary<string, object>();
            entry["call"] = call;
            entry["object"] = target;
            entry["args"] = args ?? new Dictionary<string, object>();
            File.AppendAllText(log, new JavaScriptSerializer().Serialize(entry) + "\n",
                               new UTF8Encoding(false));
        }

        public static Dictionary<string, object> Args(params object[] pairs)
        {
            Dictionary<string, object> args = new Dictionary<string, object>();
            for (int i = 0; i + 1 < pairs.Length; i += 2)
            {
                args[(string)pairs[i]] = pairs[i + 1] is Enum ? pairs[i + 1].ToString() : pairs[i + 1];
            }
            return args;
        }

        public static IEnumerable<Dictionary<string, object>> Maps(object list)
        {
            IEnumerable items = list as IEnumerable;
            if (items == null)
            {
                yield break;
            }
            foreach (object item in items)
            {
                Dictionary<string, object> map = item as Dictionary<string, object>;
                if (map != null)
                {
                    yield return map;
                }
            }
        }

        public static string Text(Dictionary<string, object> map, string key)
        {
            object value;
            return map.TryGetValue(key, out value) && value != null ? Convert.ToString(value) : "";
        }

        private static string Path()
        {
            string path = Environment.GetEnvironmentVariable("GRSTUB_STATE");
            if (string.IsNullOrEmpty(path))
            {
                throw new InvalidOperationException("GRSTUB_STATE names no state file");
            }
            return path;
        }
    }

    public class FakeGRAccessApp : GRAccessApp
    {
        private ICommandResult result = Result.Ok();

        public ICommandResult CommandResult { get { return result; } }

        public IGalaxies QueryGalaxies(string nodeName)
        {
            Store.Log("QueryGalaxies", nodeName, null);
            string node = Store.Text(Store.State, "node");
            if (!string.Equals(node, nodeName, StringComparison.OrdinalIgnoreCase))
            {
                result = Result.Fail("node " + nodeName + " is not a Galaxy Repository");
                return null;
            }
            result = Result.Ok();
            List<IGalaxy> galaxies = new List<IGalaxy>();
            foreach (Dictionary<string, object> data in Store.Maps(Store.State["galaxies"]))
            {
                galaxies.Add(new Galaxy(data, node));
            }
            return new Galaxies(galaxies);
        }
    }

    internal sealed class Galaxies : IGalaxies
    {
        private readonly List<IGalaxy> items;

        public Galaxies(List<IGalaxy> items)
        {
            this.items = items;
        }

        public int count { get { return items.Count; } }

        public IGalaxy this[object galaxyIdentifier]
        {
            get
            {
                if (galaxyIdentifier is int)
                {
                    return items[(int)galaxyIdentifier - 1];
                }
                foreach (IGalaxy galaxy in items)
                {
                    if (string.Equals(galaxy.Name, Convert.ToString(galaxyIdentifier),
                                      StringComparison.OrdinalIgnoreCase))
                    {
                        return galaxy;
                    }
                }
                return null;
            }
        }

        public IEnumerator GetEnumerator()
        {
            return items.GetEnumerator();
        }
    }

    internal sealed class Galaxy : IGalaxy
    {
        private readonly Dictionary<string, object> data;
        private readonly string node;
        private ICommandResult result = Result.Ok();
        private bool loggedIn;

        public Galaxy(Dictionary<string, object> data, string node)
        {
            this.data = data;
            this.node = node;
        }

        public string Name { get { return Store.Text(data, "name"); } }
        public ICommandResult CommandResult { get { return result; } }
        public string VersionString { get { return Store.Text(data, "version_string"); } }
        public int VersionNumber { get { return Convert.ToInt32(data["version_number"]); } }
        public bool UpgradeRequired { get { return (bool)data["upgrade_required"]; } }

        public void Login(string userName, string password)
        {
            Store.Log("Login", Name, Store.Args("user", userName));
            Dictionary<string, object> users = data.ContainsKey("users")
                ? data["users"] as Dictionary<string, object> : null;
            object expected;
            if (UpgradeRequired)
            {
                result = Result.Fail("the galaxy must be migrated before you can log in");
            }
            else if (users != null && (!users.TryGetValue(userName, out expected)
                                       || Convert.ToString(expected) != password))
            {
                result = new Result(false, "Login failed", "invalid user name or password", 2);
            }
            else
            {
                loggedIn = true;
                result = Result.Ok();
            }
        }

        public void MigrateGalaxy(string galaxyName, string GRNodeName)
        {
            Store.Log("MigrateGalaxy", galaxyName, Store.Args("gr_node", GRNodeName));
            if (!string.Equals(GRNodeName, node, StringComparison.OrdinalIgnoreCase))
            {
                result = Result.Fail("node " + GRNodeName + " is not this galaxy's GR");
                return;
            }
            if (Failure("MigrateGalaxy", galaxyName))
            {
                return;
            }
            data["version_string"] = data["target_version"];
            data["upgrade_required"] = false;
            Store.Save();
            result = Result.Ok();
        }

        public void Backup(int lProcessId, string backupFilename, string GRNodeName, string Galaxy)
        {
            Store.Log("Backup", Galaxy, Store.Args("process_id", lProcessId, "path", backupFilename,
                                                   "gr_node", GRNodeName));
            if (Failure("Backup", Galaxy))
            {
                return;
            }
            result = Result.Ok();  // the file itself: replayed on the twin's model
        }

        public IgObjects QueryObjects(EgObjectIsTemplateOrInstance templateOrInstance,
                                      EConditionType conditionType, object value, EMatch match)
        {
            Store.Log("QueryObjects", Name, Store.Args("condition", conditionType, "value",
                                                       Convert.ToString(value)));
            if (!Ready())
            {
                return null;
            }
            List<IgObject> found = new List<IgObject>();
            foreach (Instance instance in All())
            {
                if (instance.Matches(conditionType, value))
                {
                    found.Add(instance);
                }
            }
            return new Objects(found);
        }

        public IgObjects QueryObjectsByName(EgObjectIsTemplateOrInstance templateOrInstance,
                                            ref string[] tagnames)
        {
            Store.Log("QueryObjectsByName", Name, Store.Args("names", string.Join(",", tagnames)));
            if (!Ready())
            {
                return null;
            }
            List<IgObject> found = new List<IgObject>();
            List<Instance> all = All();
            foreach (string name in tagnames)
            {
                foreach (Instance instance in all)
                {
                    if (string.Equals(instance.Tagname, name, StringComparison.OrdinalIgnoreCase))
                    {
                        found.Add(instance);
                    }
                }
            }
            return new Objects(found);
        }

        internal List<Instance> All()
        {
            List<Instance> all = new List<Instance>();
            foreach (Dictionary<string, object> item in Store.Maps(data["objects"]))
            {
                all.Add(new Instance(item, this));
            }
            return all;
        }

        internal bool Failure(string call, string target)
        {
            foreach (Dictionary<string, object> failure in Store.Maps(data.ContainsKey("failures") ? data["failures"] : null))
            {
                if (Store.Text(failure, "call") == call
                    && string.Equals(Store.Text(failure, "object"), target, StringComparison.OrdinalIgnoreCase))
                {
                    object id;
                    failure.TryGetValue("id", out id);
                    result = new Result(false, Store.Text(failure, "text"),
                                        Store.Text(failure, "custom_message"),
                                        id == null ? 1 : Convert.ToInt32(id));
                    LastFailure = result;
                    return true;
                }
            }
            return false;
        }

        internal ICommandResult LastFailure;

        private bool Ready()
        {
            if (!loggedIn)
            {
                result = Result.Fail("not logged in");
                return false;
            }
            result = Result.Ok();
            return true;
        }
    }

    internal sealed class Objects : IgObjects
    {
        private readonly List<IgObject> items;
        private ICommandResults results = new Results(new List<ICommandResult>());

        public Objects(List<IgObject> items)
        {
            this.items = items;
        }

        public int count { get { return items.Count; } }

        public IgObject this[object gObjectIdentifier]
        {
            get
            {
                if (gObjectIdentifier is int)
                {
                    return items[(int)gObjectIdentifier - 1];
                }
                foreach (IgObject item in items)
                {
                    if (string.Equals(item.Tagname, Convert.ToString(gObjectIdentifier),
                                      StringComparison.OrdinalIgnoreCase))
                    {
                        return item;
                    }
                }
                return null;
            }
        }

        public ICommandResults CommandResults { get { return results; } }

        public void Deploy(EActionForCurrentlyDeployedObjects actionForDeployedObjects,
                           ESkipIfCurrentlyUndeployed skipIfCurrentlyUndeployed,
                           EDeployOnScan deployOnScan, EForceOffScan forceOffScan,
                           bool markAsDeployedOnStatusMismatch)
        {
            List<ICommandResult> each = new List<ICommandResult>();
            foreach (IgObject item in items)
            {
                Instance instance = (Instance)item;
                instance.Deploy(actionForDeployedObjects, skipIfCurrentlyUndeployed, deployOnScan,
                                forceOffScan, ECascade.dontCascade, markAsDeployedOnStatusMismatch);
                each.Add(instance.CommandResult);
            }
            results = new Results(each);
        }

        public IEnumerator GetEnumerator()
        {
            return items.GetEnumerator();
        }
    }

    internal sealed class Instance : IInstance
    {
        private readonly Dictionary<string, object> data;
        private readonly Galaxy galaxy;
        private ICommandResult result = Result.Ok();

        public Instance(Dictionary<string, object> data, Galaxy galaxy)
        {
            this.data = data;
            this.galaxy = galaxy;
        }

        public string Tagname { get { return Store.Text(data, "tagname"); } }
        public string Host { get { return Store.Text(data, "host"); } }
        public ICommandResult CommandResult { get { return result; } }

        public EDeploymentStatus DeploymentStatus
        {
            get { return (EDeploymentStatus)Enum.Parse(typeof(EDeploymentStatus), Store.Text(data, "deployment_status")); }
        }

        public void Deploy(EActionForCurrentlyDeployedObjects actionForDeployedObjects,
                           ESkipIfCurrentlyUndeployed skipIfCurrentlyUndeployed,
                           EDeployOnScan deployOnScan, EForceOffScan forceOffScan,
                           ECascade cascade, bool markAsDeployedOnStatusMismatch)
        {
            Store.Log("Deploy", Tagname, Store.Args("action", actionForDeployedObjects,
                      "skip_if_undeployed", skipIfCurrentlyUndeployed, "deploy_on_scan", deployOnScan,
                      "force_off_scan", forceOffScan, "cascade", cascade,
                      "mark_as_deployed_on_status_mismatch", markAsDeployedOnStatusMismatch));
            if (galaxy.Failure("Deploy", Tagname))
            {
                result = galaxy.LastFailure;
                return;
            }
            SetStatus(this, "deployed", cascade == ECascade.doCascade);
            Store.Save();
            result = Result.Ok();
        }

        public void Undeploy(EForceOffScan UndeployRule, ECascade cascade, bool markAsUndeployedOnFailure)
        {
            Store.Log("Undeploy", Tagname, Store.Args("force_off_scan", UndeployRule,
                      "cascade", cascade, "mark_as_undeployed_on_failure", markAsUndeployedOnFailure));
            if (galaxy.Failure("Undeploy", Tagname))
            {
                result = galaxy.LastFailure;
                return;
            }
            if (cascade == ECascade.dontCascade)
            {
                foreach (Instance hosted in Hosted())
                {
                    if (hosted.Status != "notDeployed")
                    {
                        result = Result.Fail(Tagname + " hosts deployed objects");
                        return;
                    }
                }
            }
            SetStatus(this, "notDeployed", cascade == ECascade.doCascade);
            Store.Save();
            result = Result.Ok();
        }

        public void Upload(EAutomaticallyUndocheckout automaticallyUndocheckout,
                           ESkipOtherUsersCheckedOutObjects skipOtherUsersCheckedOutObjects,
                           ESkipObjectsWithPendingUpdates skipObjectsWithPendingUpdates)
        {
            Store.Log("Upload", Tagname, null);
            if (galaxy.Failure("Upload", Tagname))
            {
                result = galaxy.LastFailure;
                return;
            }
            data["runtime_changes"] = 0;
            Store.Save();
            result = Result.Ok();
        }

        internal string Status { get { return Store.Text(data, "deployment_status"); } }

        internal bool Matches(EConditionType type, object value)
        {
            string text = Convert.ToString(value);
            switch (type)
            {
                case EConditionType.basedOn:
                    foreach (object template in (IEnumerable)data["templates"])
                    {
                        if (string.Equals(Convert.ToString(template), text, StringComparison.OrdinalIgnoreCase))
                        {
                            return true;
                        }
                    }
                    return false;
                case EConditionType.deploymentStatusIs:
                    return Status == text;
                case EConditionType.namedLike:
                    string pattern = "^" + Regex.Escape(text).Replace("%", ".*").Replace("_", ".") + "$";
                    return Regex.IsMatch(Tagname, pattern, RegexOptions.IgnoreCase);
                default:
                    return string.Equals(Store.Text(data, "area"), text, StringComparison.OrdinalIgnoreCase);
            }
        }

        private List<Instance> Hosted()
        {
            List<Instance> hosted = new List<Instance>();
            foreach (Instance instance in galaxy.All())
            {
                if (string.Equals(instance.Host, Tagname, StringComparison.OrdinalIgnoreCase))
                {
                    hosted.Add(instance);
                }
            }
            return hosted;
        }

        private static void SetStatus(Instance instance, string status, bool cascade)
        {
            instance.data["deployment_status"] = status;
            if (cascade)
            {
                foreach (Instance hosted in instance.Hosted())
                {
                    SetStatus(hosted, status, true);
                }
            }
        }
    }
}
#endif
