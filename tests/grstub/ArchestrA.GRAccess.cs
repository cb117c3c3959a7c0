// The documented surface of ArchestrA.GRAccess, and nothing else: the collection's GRAccess
// helper (plugins/plugin_utils/grhelper/GRHelper.cs) is compiled against this assembly by
// `make grhelper-check` and tests/unit/test_grhelper_build.py, so a misspelled member, a
// wrong argument list or an undocumented member the helper might reach for fails the build
// here instead of on a Galaxy Repository node.
//
// Sources, member by member: /work/shared/vendor-interfaces.md ("AVEVA System Platform",
// GRAccess) and the AVEVA Application Server GRAccess reference on docs.aveva.com (the C#
// syntax of IInstance.Deploy/Undeploy/Upload, IgObjects.Deploy/count/Item, ICommandResult,
// ICommandResults, IGalaxy.UpgradeRequired/MigrateGalaxy, the enum values given there).
// Enum members the helper needs but the reference does not list are marked "seen in public
// code"; members whose numeric value is undocumented carry none (the helper never relies on
// a number). C# 5 only: the same file must compile with csc.exe of .NET Framework 4.x.
//
// Built with -define:GRACCESS_FAKE together with FakeGRAccess.cs, GRAccessAppClass answers
// from a JSON state file instead (the tests run the helper under mono against it).

using System;
using System.Collections;

namespace ArchestrA.GRAccess
{
    public enum EgObjectIsTemplateOrInstance
    {
        gObjectIsInstance
    }

    public enum EConditionType
    {
        namedLike,
        deploymentStatusIs,
        basedOn,
        belongsToArea
    }

    public enum EMatch
    {
        MatchCondition
    }

    public enum EDeploymentStatus
    {
        notDeployed,
        deployed,
        deployedWithPendingChanges
    }

    public enum EActionForCurrentlyDeployedObjects
    {
        skipDeploy = 0,
        redeployOriginal = 1,
        deployChanges = 2
    }

    public enum ESkipIfCurrentlyUndeployed
    {
        dontSkipIfCurrentlyUndeployed = 0,
        doSkipIfCurrentlyUndeployed = 1
    }

    public enum EDeployOnScan
    {
        doDeployOnScan,
        dontDeployOnScan  // seen in public code
    }

    public enum EForceOffScan
    {
        doForceOffScan,
        dontForceOffScan
    }

    public enum ECascade
    {
        doCascade,
        dontCascade
    }

    // IInstance.Upload's arguments: the reference gives the default of each (do...) only.
    public enum EAutomaticallyUndocheckout
    {
        doAutomaticallyUndocheckout
    }

    public enum ESkipOtherUsersCheckedOutObjects
    {
        doSkipOtherUsersCheckedOutObjects
    }

    public enum ESkipObjectsWithPendingUpdates
    {
        doSkipObjectsWithPendingUpdates
    }

    // ICommandResult.ID's type; its members are not documented publicly.
    public enum EGRCommandResult
    {
    }

    public interface ICommandResult
    {
        bool Successful { get; }
        string Text { get; }
        string CustomMessage { get; }
        EGRCommandResult ID { get; }
    }

    public interface ICommandResults
    {
        bool CompletelySuccessful { get; }
        // A type library keeps one spelling per name: IgObjects documents "count".
        int count { get; }
        // "ICommandResult get_Item(int index)": an indexed property C# reaches through its
        // accessor; 1-based.
        ICommandResult get_Item(int index);
    }

    public interface IgObject
    {
        string Tagname { get; }
        ICommandResult CommandResult { get; }
    }

    public interface IInstance : IgObject
    {
        string Host { get; }
        EDeploymentStatus DeploymentStatus { get; }

        void Deploy(EActionForCurrentlyDeployedObjects actionForDeployedObjects,
                    ESkipIfCurrentlyUndeployed skipIfCurrentlyUndeployed,
                    EDeployOnScan deployOnScan,
                    EForceOffScan forceOffScan,
                    ECascade cascade,
                    bool markAsDeployedOnStatusMismatch);

        void Undeploy(EForceOffScan UndeployRule, ECascade cascade, bool markAsUndeployedOnFailure);

        void Upload(EAutomaticallyUndocheckout automaticallyUndocheckout,
                    ESkipOtherUsersCheckedOutObjects skipOtherUsersCheckedOutObjects,
                    ESkipObjectsWithPendingUpdates skipObjectsWithPendingUpdates);
    }

    public interface IgObjects : IEnumerable
    {
        int count { get; }
        // 1-based index, or a tag name
        IgObject this[object gObjectIdentifier] { get; }
        ICommandResults CommandResults { get; }

        // Collections deploy without a cascade flag.
        void Deploy(EActionForCurrentlyDeployedObjects actionForDeployedObjects,
                    ESkipIfCurrentlyUndeployed skipIfCurrentlyUndeployed,
                    EDeployOnScan deployOnScan,
                    EForceOffScan forceOffScan,
                    bool markAsDeployedOnStatusMismatch);
    }

    public interface IGalaxy
    {
        string Name { get; }
        ICommandResult CommandResult { get; }
        string VersionString { get; }
        int VersionNumber { get; }
        bool UpgradeRequired { get; }

        void Login(string userName, string password);
        void MigrateGalaxy(string galaxyName, string GRNodeName);
        void Backup(int lProcessId, string backupFilename, string GRNodeName, string Galaxy);
        IgObjects QueryObjects(EgObjectIsTemplateOrInstance templateOrInstance,
                               EConditionType conditionType, object value, EMatch match);
        IgObjects QueryObjectsByName(EgObjectIsTemplateOrInstance templateOrInstance,
                                     ref string[] tagnames);
    }

    public interface IGalaxies : IEnumerable
    {
        int count { get; }
        IGalaxy this[object galaxyIdentifier] { get; }
    }

    public interface GRAccessApp
    {
        ICommandResult CommandResult { get; }
        IGalaxies QueryGalaxies(string nodeName);
    }

#if GRACCESS_FAKE
    public class GRAccessAppClass : Fake.FakeGRAccessApp
    {
    }
#else
    public class GRAccessAppClass : GRAccessApp
    {
        public ICommandResult CommandResult
        {
            get { throw new NotSupportedException("compile-time stub of ArchestrA.GRAccess"); }
        }

        public IGalaxies QueryGalaxies(string nodeName)
        {
            throw new NotSupportedException("compile-time stub of ArchestrA.GRAccess");
        }
    }
#endif
}
